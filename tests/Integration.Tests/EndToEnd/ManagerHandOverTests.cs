using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// <c>tinyctl restart-manager [--exec PATH]</c> (issue 10): the manager re-executes in place and
/// the new image carries on with every service exactly as it was: same pids, nothing started,
/// stopped or re-run, every run-time change kept, and the adopted processes still supervised.
/// </summary>
[TestFixture, NonParallelizable]
public class ManagerHandOverTests
{
    private static Dictionary<string, string> Services(string work) => new()
    {
        ["boot"] = "type = internal\ndepends-on: web\nwaits-for: job\nwaits-for: ready\nwaits-for: gated\n",
        ["web"] = "type = process\nrestart = yes\ncommand = /bin/sleep 2001\n",
        ["job"] = $"type = scripted\ncommand = /bin/sh -c \"echo ran >> {work}/job.marker\"\nstop-command = /bin/true\n",
        // Reports readiness, then keeps the pipe open: the successor must keep draining it quietly.
        ["ready"] = "type = process\nready-notification = pipefd:3\ncommand = /bin/sh -c \"echo ready >&3; exec /bin/sleep 2002\"\n",
        // Still STARTING at the hand-over: only the successor can see it become ready.
        ["gated"] = "type = process\nready-notification = pipefd:3\n" +
                    $"command = /bin/sh -c \"while [ ! -e {work}/gate ]; do sleep 0.05; done; echo ready >&3; exec /bin/sleep 2003\"\n",
        ["manual"] = "type = process\ncommand = /bin/sleep 2004\n",
        ["pinned"] = "type = process\ncommand = /bin/sleep 2005\n",
    };

    private static readonly string[] Names = ["boot", "web", "job", "ready", "gated", "manual", "pinned"];

    [Test]
    public void AfterRestartManagerEveryServiceRunsOnUnchangedAndIsStillSupervised()
    {
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        using var manager = StandaloneManager.StartIn(work, Services(work)).WaitReady();
        Assert.That(Poll.Until(() => manager.Ctl("status", "ready").StdOut.Contains("State: STARTED")), manager.Output);
        Assert.That(Poll.Until(() => manager.Ctl("status", "gated").StdOut.Contains("State: STARTING")), manager.Output);
        Assert.That(manager.Ctl("start", "manual").ExitCode, Is.EqualTo(0), manager.Output);
        Assert.That(manager.Ctl("stop", "--pin", "pinned").ExitCode, Is.EqualTo(0), manager.Output);
        Assert.That(manager.Ctl("setenv", "HANDOVER_VAR=kept").ExitCode, Is.EqualTo(0));
        Assert.That(manager.Ctl("add-dep", "waits-for", "manual", "pinned").ExitCode, Is.EqualTo(0), manager.Output);
        var before = Observe(manager);

        // 1. In place, the manager's own executable.
        var restart = manager.Ctl("restart-manager");
        Assert.That(restart.ExitCode, Is.EqualTo(0), restart + manager.Output);
        Assert.That(restart.StdOut, Does.Contain("restarting"));
        WaitAnswering(manager);
        Assert.That(Observe(manager), Is.EqualTo(before), manager.Output);
        Assert.That(manager.HasExited, Is.False);

        // 2. To another image (a copy of the binary).
        var copy = Path.Combine(work, "tinyinitd-next");
        File.Copy(Binaries.Path_("tinyinitd"), copy); // keeps the mode on Linux
        restart = manager.Ctl("restart-manager", "--exec", copy);
        Assert.That(restart.ExitCode, Is.EqualTo(0), restart + manager.Output);
        WaitAnswering(manager);
        Assert.That(Observe(manager), Is.EqualTo(before), manager.Output);
        Assert.That(new FileInfo($"/proc/{manager.Pid}/exe").LinkTarget, Is.EqualTo(copy), "the manager now runs the new image");

        Assert.That(File.ReadAllLines(Path.Combine(work, "job.marker")), Has.Length.EqualTo(1), "the scripted start command ran once");
        Assert.That(CountOf(manager.Output, "[  OK  ] web"), Is.EqualTo(1), "no start is replayed:\n" + manager.Output);

        // What the new image does with what it inherited.
        Assert.That(manager.Ctl("getallenv").StdOut, Does.Contain("HANDOVER_VAR=kept\n"));
        var pinnedStart = manager.Ctl("start", "pinned");
        Assert.That(pinnedStart.ExitCode, Is.Not.EqualTo(0), "still pinned stopped: " + pinnedStart);
        File.WriteAllText(Path.Combine(work, "gate"), "");
        Assert.That(Poll.Until(() => manager.Ctl("status", "gated").StdOut.Contains("State: STARTED")),
            "readiness reported to the old image's pipe reaches the new one\n" + manager.Output);
        var webPid = WebPid(manager);
        CommandResult.Run("kill", ["-KILL", webPid.ToString()]);
        Assert.That(Poll.Until(() => WebPid(manager) is var pid && pid > 0 && pid != webPid),
            "an adopted process that dies is restarted per its policy\n" + manager.Output);
        Assert.That(manager.Ctl("rm-dep", "waits-for", "manual", "pinned").ExitCode, Is.EqualTo(0), "the added link survived");
        Assert.That(manager.Ctl("stop", "boot").ExitCode, Is.EqualTo(0));
        Assert.That(manager.Ctl("stop", "manual").ExitCode, Is.EqualTo(0));
        Assert.That(manager.WaitForExit(), Is.True, "with everything stopped the new image exits as usual\n" + manager.Output);
        Assert.That(ProcessTable.Snapshot().Any(p => p.CommandLine.StartsWith("/bin/sleep 200")), Is.False, "every adopted process was stopped");
    }

    [Test]
    public void ARefusedHandOverIsReportedAndTheManagerCarriesOn()
    {
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        using var manager = StandaloneManager.StartIn(work, Services(work)).WaitReady();
        Assert.That(Poll.Until(() => manager.Ctl("status", "web").StdOut.Contains("State: STARTED")), manager.Output);
        var before = manager.Ctl("status", "web").StdOut;
        var refused = manager.Ctl("restart-manager", "--exec", Path.Combine(work, "no-such-binary"));
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.StdErr, Does.Contain("hand-over refused").And.Contain("no-such-binary"));
        Assert.That(manager.Ctl("status", "web").StdOut, Is.EqualTo(before));
    }

    private static void WaitAnswering(StandaloneManager manager) =>
        Assert.That(Poll.Until(() => manager.HasExited || manager.Ctl("list").ExitCode == 0) && !manager.HasExited,
            "the manager answers again\n" + manager.Output);

    /// <summary>What a user sees: the list, each status, the environment, the manager's pid and its children.</summary>
    private static string Observe(StandaloneManager manager)
    {
        var text = new System.Text.StringBuilder();
        text.Append(manager.Ctl("list").StdOut);
        foreach (var name in Names) text.Append(manager.Ctl("status", name).StdOut);
        text.Append(manager.Ctl("getallenv").StdOut);
        text.Append($"manager pid {manager.Pid}\n");
        foreach (var child in manager.Children().OrderBy(c => c.HostPid)) text.Append($"child {child.HostPid} {child.CommandLine}\n");
        return text.ToString();
    }

    private static int WebPid(StandaloneManager manager) =>
        manager.Children().FirstOrDefault(c => c.CommandLine == "/bin/sleep 2001")?.HostPid ?? 0;

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
