using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// What a user reads when something goes wrong, as full transcripts of the published binaries:
/// load failures (explained under tinyctl's own name, the reference's texts under dinitctl),
/// start failures whose reason the spec pins down (bgprocess without a PID file, a readiness
/// pipe closed early), the null signal, and the names the texts use.
/// </summary>
[TestFixture, NonParallelizable]
public class FailureReportTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\n",
        ["web"] = "type = process\ncommand = /bin/sleep 1012\n",
        ["bad"] = "type = process\ncommand = /bin/sleep 1\ncomand = /bin/true\n",
        ["needs-bad"] = "type = process\ncommand = /bin/sleep 1\ndepends-on: bad\n",
        ["bg"] = "type = bgprocess\ncommand = /bin/true\npid-file = /nonexistent/tinyinit-test.pid\n",
        ["early-close"] = "type = process\ncommand = /bin/sh -c \"exec 3>&-; exec /bin/sleep 1013\"\nready-notification = pipefd:3\n",
    };

    private static CommandResult RunAs(StandaloneManager manager, string program, params string[] args)
    {
        var path = Binaries.Path_("tinyctl");
        if (program != "tinyctl")
        {
            path = Path.Combine(manager.WorkDir, program);
            if (!File.Exists(path)) File.CreateSymbolicLink(path, Binaries.Path_("tinyctl"));
        }
        return CommandResult.Run(path, new[] { "-p", manager.SocketPath }.Concat(args), TimeSpan.FromSeconds(20));
    }

    [Test]
    public void TinyctlSaysWhyAServiceDescriptionIsBad()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        var file = Path.Combine(manager.WorkDir, "services", "bad");

        Assert.That(RunAs(manager, "tinyctl", "start", "bad"), Is.EqualTo(new CommandResult(1, "",
            "tinyctl: error in service description.\n" +
            $"tinyctl: Error in service description for 'bad' (file {file}, line 3): unknown setting: 'comand'.\n")));
        Assert.That(RunAs(manager, "tinyctl", "start", "needs-bad"), Is.EqualTo(new CommandResult(1, "",
            "tinyctl: error loading service (or dependency of service).\n" +
            $"tinyctl: Error in service description for 'bad' (file {file}, line 3): unknown setting: 'comand'.\n" +
            "tinyctl: Could not load service needs-bad: could not load dependency.\n")));
    }

    [Test]
    public void DinitctlKeepsTheReferencesTexts()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();

        Assert.That(RunAs(manager, "dinitctl", "start", "bad"), Is.EqualTo(new CommandResult(1, "",
            "dinitctl: error in service description.\n" +
            "dinitctl: try 'dinit-check <service-name>' or check log for more information.\n")));
        Assert.That(RunAs(manager, "dinitctl", "start", "needs-bad"), Is.EqualTo(new CommandResult(1, "",
            "dinitctl: error loading service (or dependency of service).\n" +
            "dinitctl: try 'dinit-check <service-name>' or check log for more information.\n")));
    }

    [Test]
    public void TinyctlSaysWhyAReloadIsRefused()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        Assert.That(RunAs(manager, "tinyctl", "start", "web").ExitCode, Is.EqualTo(0));
        var file = Path.Combine(manager.WorkDir, "services", "web");
        File.WriteAllText(file, "type = process\ncommand = /bin/sleep 1012\nstart-timeout = soon\n");

        Assert.That(RunAs(manager, "tinyctl", "reload", "web"), Is.EqualTo(new CommandResult(1, "",
            "tinyctl: could not reload service; service in wrong state, incompatible change, or bad service description.\n" +
            $"tinyctl: Error in service description for 'web' (file {file}, line 3): bad value for start-timeout\n")));
        Assert.That(RunAs(manager, "dinitctl", "reload", "web"), Is.EqualTo(new CommandResult(1, "",
            "dinitctl: could not reload service; service in wrong state, incompatible change, or bad service description.\n")));
    }

    [TestCase("tinyctl")]
    [TestCase("dinitctl")]
    public void ABgprocessLauncherThatLeavesNoPidFileReportsItsExitStatus(string program)
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();

        Assert.That(RunAs(manager, program, "start", "bg"), Is.EqualTo(new CommandResult(1,
            "Service 'bg' failed to start.\nReason: service process terminated before ready: exited - status 0\n", "")));
        Assert.That(manager.Output, Does.Contain("tinyinitd: bg: read pid file: No such file or directory\n"));
        // ctl.md §4.2: the termination is added to the state only for a non-zero status.
        Assert.That(RunAs(manager, program, "status", "bg").StdOut, Does.Contain("    State: STOPPED (failed to start)\n"));
    }

    [TestCase("tinyctl", "tinyinit")]
    [TestCase("dinitctl", "dinit")]
    public void AReadinessPipeClosedBeforeReadinessFailsTheStartWithoutTheFailedMark(string program, string manager_)
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();

        Assert.That(RunAs(manager, program, "start", "early-close"), Is.EqualTo(new CommandResult(1,
            $"Service 'early-close' failed to start.\nReason unknown/unrecognised. Check {manager_} log.\n", "")));
        Assert.That(Poll.Until(() => RunAs(manager, program, "list").StdOut.Contains("[     {-}] early-close\n")),
            RunAs(manager, program, "list").ToString());
        Assert.That(manager.Output, Does.Contain("tinyinitd: early-close: readiness notification pipe closed before readiness\n"));
        Assert.That(RunAs(manager, program, "is-failed", "early-close"), Is.EqualTo(new CommandResult(1, "STOPPED\n", "")));
    }

    [TestCase("tinyctl")]
    [TestCase("dinitctl")]
    public void SignalZeroChecksThatTheProcessExists(string program)
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        Assert.That(RunAs(manager, program, "start", "web").ExitCode, Is.EqualTo(0));

        Assert.That(RunAs(manager, program, "signal", "0", "web"), Is.EqualTo(new CommandResult(0, "", "")));
        Assert.That(RunAs(manager, program, "signal", "99", "web"), Is.EqualTo(new CommandResult(1, "", $"{program}: provided signal was invalid.\n")));
        Assert.That(RunAs(manager, program, "is-started", "web"), Is.EqualTo(new CommandResult(0, "STARTED\n", "")), "the null signal does nothing");
    }

    [TestCase("tinyctl", "tinyinit")]
    [TestCase("dinitctl", "dinit")]
    public void ShutdownNamesTheManagerAsTheProgramDoes(string program, string managerName)
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();

        Assert.That(RunAs(manager, program, "shutdown"), Is.EqualTo(new CommandResult(0, $"Shutting down {managerName}...\nConnection closed.\n", "")));
        Assert.That(manager.WaitForExit(), Is.True);
    }
}
