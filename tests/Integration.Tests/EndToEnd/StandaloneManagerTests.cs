using System.Net.Sockets;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>tinyinitd on its own (user mode): lifecycle, socket rules, readiness, robustness.</summary>
[TestFixture, NonParallelizable]
public class StandaloneManagerTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\ndepends-on: worker\n",
        ["worker"] = "type = process\ncommand = /bin/sleep 1003\n",
    };

    /// <summary>
    /// The manager blocks the signals it takes from its signalfd in Main and in the runtime's
    /// finalizer thread, and checks /proc, instead of re-executing itself: every thread must
    /// block them, or a SIGCHLD could be lost or a SIGTERM kill it.
    /// </summary>
    [Test]
    public void EveryThreadOfTheManagerBlocksTheSignalsItHandles()
    {
        int[] handled = [1, 2, 3, 10, 12, 15, 17, 30];
        var wanted = handled.Aggregate(0UL, (mask, signal) => mask | 1UL << (signal - 1));
        using var manager = StandaloneManager.Start(Services).WaitReady();
        foreach (var thread in Directory.GetDirectories($"/proc/{manager.Pid}/task"))
        {
            var line = File.ReadAllLines(Path.Combine(thread, "status")).Single(l => l.StartsWith("SigBlk:"));
            Assert.That(Convert.ToUInt64(line["SigBlk:".Length..].Trim(), 16) & wanted, Is.EqualTo(wanted), $"thread {thread}: {line}");
        }
        Assert.That(manager.Output, Does.Not.Contain("signals may be lost"));
    }

    [Test]
    public void WhenEverythingStopsTheManagerExitsZeroAndRemovesItsSocket()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        Assert.That(Poll.Until(() => manager.Children().Any(p => p.CommandLine == "/bin/sleep 1003")), manager.Output);
        var stop = manager.Ctl("stop", "boot");
        Assert.That(stop.ExitCode, Is.EqualTo(0), stop.ToString());
        Assert.That(manager.WaitForExit(), Is.True, manager.Output);
        Assert.That(manager.ExitCode, Is.EqualTo(0), manager.Output);
        Assert.That(File.Exists(manager.SocketPath), Is.False, "the socket is unlinked when the main loop ends");
        Assert.That(ProcessTable.Snapshot().Any(p => p.CommandLine == "/bin/sleep 1003"), Is.False);
    }

    [Test]
    public void SigtermStopsEveryServiceThenTheManagerExits()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        Assert.That(Poll.Until(() => manager.Children().Any(p => p.CommandLine == "/bin/sleep 1003")), manager.Output);
        CommandResult.Run("kill", ["-TERM", manager.Pid.ToString()]);
        Assert.That(manager.WaitForExit(), Is.True, manager.Output);
        Assert.That(manager.ExitCode, Is.EqualTo(0));
        Assert.That(manager.Output, Does.Contain("[STOPPD] worker"));
    }

    [Test]
    public void ASecondManagerOnALiveSocketIsRefused()
    {
        using var first = StandaloneManager.Start(Services).WaitReady();
        using var second = StandaloneManager.StartIn(System.IO.Directory.CreateTempSubdirectory("tinyinitd-it.").FullName, Services, "-p", first.SocketPath);
        Assert.That(second.WaitForExit(), Is.True);
        Assert.That(second.ExitCode, Is.EqualTo(1));
        Assert.That(second.Output, Does.Contain("Control socket is already active (another instance already running?)"));
        Assert.That(first.Ctl("list").ExitCode, Is.EqualTo(0), "the first manager keeps serving");
    }

    [Test]
    public void AMissingServiceIsReportedAndWithNothingActiveTheManagerExits()
    {
        using var manager = StandaloneManager.Start(Services, "nosuch");
        Assert.That(manager.WaitForExit(), Is.True, manager.Output);
        Assert.That(manager.ExitCode, Is.EqualTo(0));
        Assert.That(manager.Output, Does.Contain("tinyinitd: nosuch: could not find service description."));
    }

    [Test]
    public void AProcessServiceWithReadinessIsStartingUntilItSaysReady()
    {
        var gate = Path.Combine(Path.GetTempPath(), "tinyinit-gate-" + Guid.NewGuid().ToString("N"));
        var services = new Dictionary<string, string>
        {
            ["boot"] = "type = internal\ndepends-on: slow\n",
            ["slow"] = "type = process\nready-notification = pipefd:3\n" +
                       $"command = /bin/sh -c \"while [ ! -e {gate} ]; do sleep 0.05; done; echo ready >&3; exec sleep 1004\"\n",
        };
        using var manager = StandaloneManager.Start(services).WaitReady();
        try
        {
            Assert.That(Poll.Until(() => manager.Ctl("status", "slow").StdOut.Contains("State: STARTING")), manager.Ctl("status", "slow").ToString());
            Assert.That(manager.Ctl("status", "boot").StdOut, Does.Contain("STARTING"), "boot waits for its dependency");
            File.WriteAllText(gate, "");
            Assert.That(Poll.Until(() => manager.Ctl("status", "slow").StdOut.Contains("State: STARTED")), manager.Output);
            Assert.That(Poll.Until(() => manager.Ctl("status", "boot").StdOut.Contains("State: STARTED")), manager.Output);
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Test]
    public void AServiceThatClosesItsReadinessPipeWithoutWritingIsStoppedAndTheLogSaysWhy()
    {
        var services = new Dictionary<string, string>
        {
            ["boot"] = "type = internal\nwaits-for: mute\n",
            ["mute"] = "type = process\nready-notification = pipefd:3\nrestart = no\ncommand = /bin/sh -c \"exec 3>&-; exec sleep 1005\"\n",
        };
        using var manager = StandaloneManager.Start(services).WaitReady();
        Assert.That(Poll.Until(() => manager.Output.Contains("tinyinitd: mute: readiness notification pipe closed before readiness\n")), manager.Output);
        Assert.That(Poll.Until(() => !manager.Children().Any(p => p.CommandLine == "sleep 1005")), "the failed process is stopped");
        // Reference quirk kept (semantics.md §11): no failed mark, plain STOPPED.
        Assert.That(Poll.Until(() => manager.Ctl("status", "mute").StdOut.Contains("    State: STOPPED\n")), manager.Ctl("status", "mute").ToString());
        Assert.That(manager.Ctl("is-failed", "mute"), Is.EqualTo(new CommandResult(1, "STOPPED\n", "")));
    }

    [Test]
    public void GarbageOnTheControlSocketDoesNotHurtTheManager()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(manager.SocketPath));
            var junk = new byte[random.Next(1, 5000)];
            random.NextBytes(junk);
            try { socket.Send(junk); } catch (SocketException) { } // the manager may close on us first
        }
        var list = manager.Ctl("list");
        Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString() + manager.Output);
        Assert.That(list.StdOut, Does.Contain("worker"));
        Assert.That(manager.HasExited, Is.False);
    }

    [Test]
    public void ABackgroundProcessIsSupervisedThroughItsPidFile()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), "tinyinit-bg-" + Guid.NewGuid().ToString("N"));
        var services = new Dictionary<string, string>
        {
            ["boot"] = "type = internal\ndepends-on: daemon\n",
            // The launcher forks the daemon and exits at once: the daemon re-parents to the
            // manager (a child sub-reaper), which learns its pid from the pid file.
            ["daemon"] = $"type = bgprocess\npid-file = {pidFile}\ncommand = /bin/sh -c \"/bin/sleep 1009 & echo $$! > {pidFile}\"\n",
        };
        using var manager = StandaloneManager.Start(services).WaitReady();
        try
        {
            ProcInfo? Daemon() => ProcessTable.Snapshot().FirstOrDefault(p => p.CommandLine == "/bin/sleep 1009" && p.HostParentPid == manager.Pid);
            Assert.That(Poll.Until(() => Daemon() != null && manager.Ctl("status", "daemon").StdOut.Contains("State: STARTED")), manager.Output);
            var first = Daemon()!;
            Assert.That(manager.Ctl("status", "daemon").StdOut, Does.Contain($"Process ID: {first.HostPid}"));

            global::System.Diagnostics.Process.GetProcessById(first.HostPid).Kill();
            Assert.That(Poll.Until(() => Daemon() is { } now && now.HostPid != first.HostPid), "the daemon is restarted after it dies\n" + manager.Output);
            Assert.That(Poll.Until(() => manager.Ctl("status", "daemon").StdOut.Contains($"Process ID: {Daemon()?.HostPid}")), manager.Ctl("status", "daemon").ToString());
        }
        finally
        {
            File.Delete(pidFile);
        }
    }
}
