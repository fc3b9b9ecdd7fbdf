using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// <c>tinyctl reexec-init</c> under tinyinit as PID 1 of a PID namespace with the real manager:
/// PID 1 re-executes in place (its own binary or another one) and the manager, its services
/// and the link carry on as if nothing happened.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(180_000)]
public class ReexecInitTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\ndepends-on: web\n",
        ["web"] = "type = process\nrestart = yes\ncommand = /bin/sleep 2201\n",
    };

    [TestCase(false, TestName = "ReexecInitKeepsPid1TheManagerAndTheServices")]
    [TestCase(true, TestName = "ReexecInitWithExecRunsTheOtherBinaryAsPid1")]
    public void ReexecInitKeepsEverythingRunning(bool otherBinary)
    {
        using var init = NamespacedInit.Boot(Services);
        Assert.That(Poll.Until(() => Web(init) > 0), init.Output);
        var pid1 = init.InitHostPid;
        var manager = init.Processes().Single(p => p.Name == "tinyinitd").HostPid;
        var web = Web(init);
        string[] args = ["reexec-init"];
        var copy = Path.Combine(init.WorkDir, "tinyinit-new");
        if (otherBinary)
        {
            File.Copy(Binaries.Path_("tinyinit"), copy);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            args = ["reexec-init", "--exec", copy];
        }

        var r = init.Ctl(args);
        Assert.That(r.ExitCode, Is.EqualTo(0), r + init.Output);
        Assert.That(Poll.Until(() => init.Output.Contains("tinyinit: resumed after reexec-init")), init.Output);
        Assert.That(init.InitHostPid, Is.EqualTo(pid1));
        var exe = new FileInfo($"/proc/{pid1}/exe").LinkTarget;
        Assert.That(exe, Is.EqualTo(otherBinary ? copy : Binaries.Path_("tinyinit")), init.Output);
        Assert.That(init.Processes().Single(p => p.Name == "tinyinitd").HostPid, Is.EqualTo(manager), init.Output);
        Assert.That(Web(init), Is.EqualTo(web));
        Assert.That(init.Ctl("list").ExitCode, Is.EqualTo(0), init.Output);

        CommandResult.Run("kill", ["-KILL", web.ToString()]);
        Assert.That(Poll.Until(() => Web(init) is var pid && pid > 0 && pid != web), "restarted after the re-exec\n" + init.Output);

        // The new image still forwards signals over the kept link, and still shuts down.
        CommandResult.Run("kill", ["-TERM", pid1.ToString()]);
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(init.Output, Does.Contain("[STOPPD] web"), "the manager stopped its services itself");
        Assert.That(init.Output, Does.Contain("tinyinit: shutting down: halt"));
    }

    [Test]
    public void AnExecThatFailsLeavesPid1RunningAsBefore()
    {
        using var init = NamespacedInit.Boot(Services);
        Assert.That(Poll.Until(() => Web(init) > 0), init.Output);
        var notExecutable = Path.Combine(init.WorkDir, "not-a-program");
        File.WriteAllText(notExecutable, "just text\n");
        var r = init.Ctl("reexec-init", "--exec", notExecutable);
        Assert.That(r.ExitCode, Is.EqualTo(0), r + init.Output);
        Assert.That(Poll.Until(() => init.Output.Contains("reexec-init: cannot execute")), init.Output);
        var web = Web(init);
        CommandResult.Run("kill", ["-KILL", web.ToString()]);
        Assert.That(Poll.Until(() => Web(init) is var pid && pid > 0 && pid != web), init.Output);
        CommandResult.Run("kill", ["-TERM", init.InitHostPid.ToString()]);
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(init.Output, Does.Contain("tinyinit: shutting down: halt"));
    }

    [Test]
    public void WithoutTinyinitTheManagerRefusesReexecInit()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        var r = manager.Ctl("reexec-init");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.StdErr, Does.Contain("reexec-init refused: the manager is not running under tinyinit"));
    }

    private static int Web(NamespacedInit init) =>
        init.Processes().FirstOrDefault(p => p.CommandLine == "/bin/sleep 2201")?.HostPid ?? 0;
}
