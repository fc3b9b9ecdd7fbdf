using System.Diagnostics;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Hardening;

/// <summary>
/// A bgprocess PID file can name any pid. The manager supervises (and later signals) only a
/// process it can show is the service's; anything else fails the start with a clear log line,
/// and nothing else is ever signalled — not init, not the manager, not a bystander.
/// </summary>
[TestFixture, NonParallelizable]
public class PidFileTrustTests
{
    private static string Bg(string pidFile, string launcher) =>
        $"type = bgprocess\npid-file = {pidFile}\ncommand = /bin/sh -c \"{launcher}\"\nstop-timeout = 2\n";

    [Test]
    public void APidFileSayingOneFailsTheStartAndStoppingNeverHaltsTheNamespace()
    {
        using var init = NamespacedInit.Boot(new Dictionary<string, string> { ["boot"] = "type = internal\n" });
        var pidFile = Path.Combine(init.WorkDir, "one.pid");
        File.WriteAllText(Path.Combine(init.ServiceDir, "one"), Bg(pidFile, $"echo 1 > {pidFile}"));

        var start = init.Ctl("start", "one");
        Assert.That(start.ExitCode, Is.Not.EqualTo(0), start.ToString());
        Assert.That(Poll.Until(() => init.Output.Contains("one: refusing pid 1 from pid file: pid 1 is the init process")), init.Output);
        init.Ctl("stop", "one");
        init.Ctl("restart", "one");
        init.Ctl("stop", "one");
        Thread.Sleep(500);
        Assert.That(init.HasExited, Is.False, "the namespace's init is still running\n" + init.Output);
        Assert.That(init.Ctl("list").ExitCode, Is.EqualTo(0), init.Output);
    }

    [Test]
    public void APidFileNamingTheManagerFailsTheStart()
    {
        using var init = NamespacedInit.Boot(new Dictionary<string, string> { ["boot"] = "type = internal\n" });
        var pidFile = Path.Combine(init.WorkDir, "mgr.pid");
        // The launcher's parent is the manager.
        File.WriteAllText(Path.Combine(init.ServiceDir, "mgr"), Bg(pidFile, $"echo $$PPID > {pidFile}"));

        Assert.That(init.Ctl("start", "mgr").ExitCode, Is.Not.EqualTo(0));
        Assert.That(Poll.Until(() => init.Output.Contains("mgr: refusing pid") && init.Output.Contains("it is the service manager's own pid")), init.Output);
        init.Ctl("stop", "mgr");
        Thread.Sleep(300);
        Assert.That(init.Ctl("list").ExitCode, Is.EqualTo(0), "the manager still answers\n" + init.Output);
        Assert.That(init.Processes().Count(p => p.Name == "tinyinitd"), Is.EqualTo(1), init.Output);
    }

    [Test]
    public void APidFileNamingAnUnrelatedProcessFailsTheStartAndThatProcessSurvivesEveryStop()
    {
        using var bystander = Process.Start("/bin/sleep", "1017")!;
        try
        {
            var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
            var pidFile = Path.Combine(work, "other.pid");
            using var manager = StandaloneManager.StartIn(work, new Dictionary<string, string>
            {
                ["boot"] = "type = internal\n",
                ["other"] = Bg(pidFile, $"echo {bystander.Id} > {pidFile}"),
            }).WaitReady();

            Assert.That(manager.Ctl("start", "other").ExitCode, Is.Not.EqualTo(0));
            Assert.That(Poll.Until(() => manager.Output.Contains($"other: refusing pid {bystander.Id} from pid file")), manager.Output);
            foreach (var command in new[] { "stop", "restart", "stop", "release" }) manager.Ctl(command, "other");
            manager.Ctl("start", "other");
            manager.Ctl("stop", "other");
            Thread.Sleep(500);
            Assert.That(bystander.HasExited, Is.False, manager.Output);
            Assert.That(manager.Ctl("status", "other").StdOut, Does.Contain("STOPPED"));
        }
        finally
        {
            bystander.Kill();
        }
    }

    [Test]
    public void AnUnrelatedProcessStartedAfterTheLauncherIsStillNotTheServices()
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        var pidFile = Path.Combine(work, "late.pid");
        var handOver = Path.Combine(work, "hand-over");
        // The launcher waits for the test to give it a pid started after the launcher itself.
        using var manager = StandaloneManager.StartIn(work, new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["late"] = Bg(pidFile, $"while [ ! -s {handOver} ]; do sleep 0.05; done; cp {handOver} {pidFile}"),
        }).WaitReady();
        var start = Task.Run(() => manager.Ctl("start", "late"));
        Assert.That(Poll.Until(() => manager.Ctl("status", "late").StdOut.Contains("STARTING")), manager.Output);
        using var bystander = Process.Start("/bin/sleep", "1018")!;
        try
        {
            File.WriteAllText(handOver + ".tmp", bystander.Id + "\n");
            File.Move(handOver + ".tmp", handOver);
            Assert.That(start.Result.ExitCode, Is.Not.EqualTo(0), start.Result.ToString());
            Assert.That(manager.Output, Does.Contain($"late: refusing pid {bystander.Id} from pid file: the process is not a descendant of the service manager"));
            manager.Ctl("stop", "late");
            Thread.Sleep(300);
            Assert.That(bystander.HasExited, Is.False);
        }
        finally
        {
            bystander.Kill();
        }
    }

    [Test]
    public void ASymlinkedPidFileIsRefused()
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        var real = Path.Combine(work, "real.pid");
        var link = Path.Combine(work, "link.pid");
        File.CreateSymbolicLink(link, real);
        using var manager = StandaloneManager.StartIn(work, new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["linked"] = Bg(link, $"/bin/sleep 1019 & echo $$! > {real}"),
        }).WaitReady();
        try
        {
            Assert.That(manager.Ctl("start", "linked").ExitCode, Is.Not.EqualTo(0));
            Assert.That(manager.Output, Does.Contain($"linked: read pid file: {link} is a symbolic link (refused)"));
        }
        finally
        {
            foreach (var p in ProcessTable.Snapshot().Where(p => p.CommandLine == "/bin/sleep 1019")) Process.GetProcessById(p.HostPid).Kill();
        }
    }

    [Test]
    public void ADaemonForkedByTheLauncherIsStillSupervisedAndStopped()
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        var pidFile = Path.Combine(work, "good.pid");
        using var manager = StandaloneManager.StartIn(work, new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["good"] = Bg(pidFile, $"/bin/sleep 1020 & echo $$! > {pidFile}"),
        }).WaitReady();
        Assert.That(manager.Ctl("start", "good").ExitCode, Is.EqualTo(0), manager.Output);
        ProcInfo? Daemon() => ProcessTable.Snapshot().FirstOrDefault(p => p.CommandLine == "/bin/sleep 1020");
        Assert.That(Poll.Until(() => Daemon() != null), "the daemon runs (it may still be exec-ing)");
        Assert.That(manager.Ctl("stop", "good").ExitCode, Is.EqualTo(0), manager.Output);
        Assert.That(Poll.Until(() => Daemon() == null), manager.Output);
    }
}
