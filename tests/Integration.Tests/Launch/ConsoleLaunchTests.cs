using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Launch;

/// <summary>
/// Services on the console (semantics.md §9.6 steps 7 and 13, §14) with a pseudo-terminal as
/// the manager's console (its standard input, output and error), as /proc/PID/stat and
/// /proc/PID/status show them: the process group in the terminal's foreground, the foreground
/// handed back when the service is done, a controlling terminal for a service on a terminal
/// nobody controls (a shell on the system console), and the job-control signals masked.
/// </summary>
[TestFixture, NonParallelizable]
public class ConsoleLaunchTests
{
    private const ulong Int = 1UL << 1, Quit = 1UL << 2, Tstp = 1UL << 19, Ttin = 1UL << 20, Ttou = 1UL << 21;

    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\n",
        ["console"] = "type = process\ncommand = /bin/sleep 1061\noptions: runs-on-console\n",
        ["interruptible"] = "type = process\ncommand = /bin/sleep 1062\noptions: runs-on-console unmask-intr\n",
        ["shared"] = "type = process\ncommand = /bin/sleep 1063\noptions: shares-console\n",
    };

    private enum Placement
    {
        /// <summary>Its own session, the terminal its controlling terminal (a manager started from a shell).</summary>
        Controlling,
        /// <summary>Its own session, the terminal nobody's controlling terminal (like /dev/console under PID 1).</summary>
        NobodysTerminal,
        /// <summary>A background job of a job-control shell that controls the terminal (the shell keeps the foreground).</summary>
        BackgroundJob,
    }

    /// <summary>tinyinitd with the terminal as fds 0-2, placed as <paramref name="placement"/> says; its pid.</summary>
    private static (StandaloneManager Manager, int Pid) StartOn(PseudoTerminal terminal, Placement placement)
    {
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinitd-con.").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in Services) File.WriteAllText(Path.Combine(work, "services", name), text);
        var socket = Path.Combine(work, "ctl.socket");
        var shell = Path.Combine(work, "job-shell");
        File.WriteAllText(shell, "set -m\n\"$@\" &\nwait\n");
        string[] prefix = placement switch
        {
            Placement.Controlling => ["setsid", "--wait", "--ctty"],
            Placement.NobodysTerminal => ["setsid", "--wait"],
            _ => ["setsid", "--wait", "--ctty", "/bin/sh", shell],
        };
        string[] args =
        [
            "-c", "tty=$1; shift; exec \"$@\" <>\"$tty\" >&0 2>&0", "sh", terminal.SlavePath,
            .. prefix, Binaries.Path_("tinyinitd"), "-u", "-d", Path.Combine(work, "services"), "-p", socket,
        ];
        var manager = StandaloneManager.StartProgram("/bin/sh", work, new Dictionary<string, string>(), args).WaitReady();
        var pid = ProcessTable.Snapshot().Single(p => p.Name == "tinyinitd" && p.CommandLine.Contains(socket)).HostPid;
        return (manager, pid);
    }

    private static int Start((StandaloneManager Manager, int Pid) m, string service, string command)
    {
        var start = m.Manager.Ctl("start", service);
        Assert.That(start.ExitCode, Is.EqualTo(0), start + m.Manager.Output);
        return ProcStatus.ChildRunning(m.Pid, command);
    }

    [Test]
    public void AnExclusiveServiceIsTheForegroundUntilItStopsThenTheManagerIsAgain()
    {
        using var terminal = new PseudoTerminal();
        var m = StartOn(terminal, Placement.Controlling);
        using var manager = m.Manager;
        var managerGroup = ProcStatus.Terminal(m.Pid).ProcessGroup;
        Assert.That(ProcStatus.Terminal(m.Pid).ForegroundGroup, Is.EqualTo(managerGroup), "precondition: the manager is in the foreground");

        var service = Start(m, "console", "sleep 1061");
        var stat = ProcStatus.Terminal(service);
        Assert.That(stat.ProcessGroup, Is.EqualTo(service), "a process group of its own");
        Assert.That(stat.Session, Is.EqualTo(ProcStatus.Terminal(m.Pid).Session), "in the session that controls the terminal");
        Assert.That(stat.ForegroundGroup, Is.EqualTo(service));
        Assert.That(ProcStatus.Mask(service, "SigBlk"), Is.EqualTo(Int | Quit | Tstp | Ttin | Ttou));

        Assert.That(manager.Ctl("stop", "console").ExitCode, Is.EqualTo(0), manager.Output);
        Assert.That(Poll.Until(() => ProcStatus.Terminal(m.Pid).ForegroundGroup == managerGroup), Is.True,
            "the foreground goes back to the manager's group");
    }

    [Test]
    public void UnmaskIntrLetsInterruptsThrough()
    {
        using var terminal = new PseudoTerminal();
        var m = StartOn(terminal, Placement.Controlling);
        using var manager = m.Manager;

        var service = Start(m, "interruptible", "sleep 1062");

        Assert.That(ProcStatus.Mask(service, "SigBlk"), Is.EqualTo(Quit | Tstp | Ttin | Ttou));
        Assert.That(ProcStatus.Terminal(service).ForegroundGroup, Is.EqualTo(service));
    }

    [Test]
    public void ASharedConsoleIsNotTakenIntoTheForeground()
    {
        using var terminal = new PseudoTerminal();
        var m = StartOn(terminal, Placement.Controlling);
        using var manager = m.Manager;
        var managerGroup = ProcStatus.Terminal(m.Pid).ProcessGroup;

        var service = Start(m, "shared", "sleep 1063");

        Assert.That(ProcStatus.Terminal(service).ForegroundGroup, Is.EqualTo(managerGroup));
        Assert.That(ProcStatus.Mask(service, "SigBlk"), Is.Zero);
        Assert.That(new FileInfo($"/proc/{service}/fd/1").LinkTarget, Is.EqualTo(terminal.SlavePath));
    }

    [Test]
    public void AServiceOnATerminalNobodyControlsGetsItAsItsControllingTerminal()
    {
        using var terminal = new PseudoTerminal();
        var m = StartOn(terminal, Placement.NobodysTerminal);
        using var manager = m.Manager;
        Assert.That(ProcStatus.Terminal(m.Pid).Terminal, Is.Zero, "precondition: the manager has no controlling terminal");

        var service = Start(m, "console", "sleep 1061");

        var stat = ProcStatus.Terminal(service);
        Assert.That(stat.Session, Is.EqualTo(service), "a session of its own");
        Assert.That(stat.Terminal, Is.EqualTo(terminal.DeviceNumber), "the console is its controlling terminal");
        Assert.That(stat.ForegroundGroup, Is.EqualTo(service));
        foreach (var fd in new[] { 0, 1, 2 })
            Assert.That(new FileInfo($"/proc/{service}/fd/{fd}").LinkTarget, Is.EqualTo(terminal.SlavePath));
    }

    [Test]
    public void TheForegroundGoesBackToTheGroupThatHadItEvenAcrossRestartManager()
    {
        using var terminal = new PseudoTerminal();
        var m = StartOn(terminal, Placement.BackgroundJob);
        using var manager = m.Manager;
        var shellGroup = ProcStatus.Terminal(m.Pid).ForegroundGroup;
        Assert.That(shellGroup, Is.Not.EqualTo(ProcStatus.Terminal(m.Pid).ProcessGroup), "precondition: the shell, not the manager, is in the foreground");

        var service = Start(m, "console", "sleep 1061");
        Assert.That(ProcStatus.Terminal(service).ForegroundGroup, Is.EqualTo(service));
        var restart = manager.Ctl("restart-manager");
        Assert.That(restart.ExitCode, Is.EqualTo(0), restart + terminal.Output);
        Assert.That(Poll.Until(() => manager.Ctl("status", "console").StdOut.Contains("State: STARTED")), Is.True, terminal.Output);

        Assert.That(manager.Ctl("stop", "console").ExitCode, Is.EqualTo(0), terminal.Output);
        Assert.That(Poll.Until(() => ProcStatus.Terminal(m.Pid).ForegroundGroup == shellGroup), Is.True,
            $"the foreground goes back to the shell's group {shellGroup}, not to the manager's; it is {ProcStatus.Terminal(m.Pid).ForegroundGroup}");
    }
}
