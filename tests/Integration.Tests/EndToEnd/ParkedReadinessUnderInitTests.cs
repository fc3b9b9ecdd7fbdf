using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// The manager parks each readiness pipe with tinyinit while readiness is awaited (issue 10):
/// PID 1 holds the very same pipe as the service's notification descriptor, keeps holding it
/// across a planned hand-over (one copy, same key) and lets it go once the service is ready
/// or a crashed manager's successor did not take it back.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(180_000)]
public class ParkedReadinessUnderInitTests
{
    private string _gates = "";

    [SetUp]
    public void CreateGates() => _gates = Directory.CreateTempSubdirectory("tinyinit-gates.").FullName;

    [TearDown]
    public void RemoveGates() => Directory.Delete(_gates, recursive: true);

    private Dictionary<string, string> Services() => new()
    {
        ["boot"] = "type = internal\nwaits-for: gated\n",
        ["gated"] = "type = process\nready-notification = pipefd:3\n" +
                    $"command = /bin/sh -c \"while [ ! -e {_gates}/gate ]; do sleep 0.05; done; echo ready >&3; exec /bin/sleep 3001\"\n",
    };

    private static ProcInfo? Gated(NamespacedInit init, int except = 0) =>
        init.Processes().FirstOrDefault(p => p.CommandLine.Contains("/gate ]", StringComparison.Ordinal) && p.HostPid != except);

    private static string Link(string path)
    {
        try { return new FileInfo(path).LinkTarget ?? ""; }
        catch (IOException) { return ""; }
    }

    /// <summary>The pipe the service writes its readiness to, e.g. "pipe:[12345]".</summary>
    private static string NotificationPipe(NamespacedInit init, int except = 0) =>
        Gated(init, except) is { } p ? Link($"/proc/{p.HostPid}/fd/3") : "";

    private static int CopiesInInit(NamespacedInit init, string pipe) =>
        Directory.GetFileSystemEntries($"/proc/{init.InitHostPid}/fd").Count(f => Link(f) == pipe);

    [Test]
    public void AWaitedReadinessPipeIsParkedWithPid1AndReleasedOnceTheServiceIsReady()
    {
        using var init = NamespacedInit.Boot(Services(), "boot");
        Assert.That(Poll.Until(() => NotificationPipe(init).StartsWith("pipe:", StringComparison.Ordinal)), init.Output);
        var pipe = NotificationPipe(init);
        Assert.That(Poll.Until(() => CopiesInInit(init, pipe) == 1), $"tinyinit holds {pipe}\n{init.Output}");

        var handOver = init.Ctl("restart-manager");
        Assert.That(handOver.ExitCode, Is.Zero, handOver + init.Output);
        Assert.That(Poll.Until(() => init.Ctl("status", "gated").StdOut.Contains("State: STARTING")), init.Output);
        Thread.Sleep(300);
        Assert.That(CopiesInInit(init, pipe), Is.EqualTo(1), "still parked once after the hand-over\n" + init.Output);

        File.WriteAllText(Path.Combine(_gates, "gate"), "");
        Assert.That(Poll.Until(() => init.Ctl("status", "gated").StdOut.Contains("State: STARTED")), init.Output);
        Assert.That(Poll.Until(() => CopiesInInit(init, pipe) == 0), "released once ready\n" + init.Output);
    }

    [Test]
    public void AfterAManagerCrashTheSameServiceGetsItsPipeBackAndReadinessWrittenMeanwhileArrives()
    {
        using var init = NamespacedInit.Boot(Services(), "boot");
        Assert.That(Poll.Until(() => NotificationPipe(init).StartsWith("pipe:", StringComparison.Ordinal)), init.Output);
        var pipe = NotificationPipe(init);
        var service = Gated(init)!.HostPid;
        Assert.That(Poll.Until(() => CopiesInInit(init, pipe) == 1), init.Output);

        var manager = init.Processes().Single(p => p.Name == "tinyinitd").HostPid;
        CommandResult.Run("kill", ["-KILL", manager.ToString()]);
        // Readiness is written at once: most likely while no manager runs, into the parked pipe.
        File.WriteAllText(Path.Combine(_gates, "gate"), "");

        Assert.That(Poll.Until(() => init.Ctl("status", "gated").StdOut.Contains("State: STARTED")), init.Output);
        Assert.That(init.Processes().Any(p => p.CommandLine == "/bin/sleep 3001" && p.HostPid == service), Is.True,
            "the same process, not a new one\n" + init.Output);
        Assert.That(Poll.Until(() => CopiesInInit(init, pipe) == 0), "released once ready\n" + init.Output);
        Assert.That(init.Output, Does.Contain("1 readiness pipes taken back"));
    }
}
