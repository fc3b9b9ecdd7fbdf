using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Init;

/// <summary>
/// tinyinit on its own, as PID 1 of a PID namespace, with a fake manager that speaks the link
/// protocol: what an administrator (or the manager) can observe of PID 1.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(120_000)]
public class InitTests
{
    private const int SIGHUP = 1, SIGINT = 2, SIGKILL = 9;

    [Test]
    public void Pid1IsTinyinitAndTheManagerIsItsChildWithTheLinkOnFd3()
    {
        using var init = FakeManagedInit.Start(["-d", "/some/dir", "boot"]);
        var procs = init.Processes();
        Assert.That(procs[0].InnerPid, Is.EqualTo(1));
        Assert.That(procs[0].Name, Is.EqualTo("tinyinit"));
        var managerPid = init.ManagerStarts().Single();
        Assert.That(managerPid, Is.Not.EqualTo(1));
        var manager = init.ProcessWithInnerPid(managerPid);
        Assert.That(manager, Is.Not.Null, init.Describe());
        Assert.That(manager!.HostParentPid, Is.EqualTo(procs[0].HostPid));
        // Arguments tinyinit does not use reach the manager unchanged; not booted by a kernel.
        Assert.That(init.Log(), Does.Contain($"start pid={managerPid} link=3 state=4 kernel=- args=-d,/some/dir,boot"));
    }

    /// <summary>SIGHUP INT QUIT USR1 USR2 TERM CHLD PWR: the signals PID 1 takes from its signalfd.</summary>
    private static readonly int[] HandledSignals = [1, 2, 3, 10, 12, 15, 17, 30];

    /// <summary>
    /// Every thread of PID 1 (the runtime starts some before Main) must have the handled signals
    /// blocked, or one of them could take a SIGCHLD or die of a SIGTERM: tinyinit re-executes itself.
    /// </summary>
    private static void AssertEveryThreadBlocksTheHandledSignals(int hostPid)
    {
        var wanted = HandledSignals.Aggregate(0UL, (mask, signal) => mask | 1UL << (signal - 1));
        var threads = Directory.GetDirectories($"/proc/{hostPid}/task");
        Assert.That(threads, Is.Not.Empty);
        foreach (var thread in threads)
        {
            var line = File.ReadAllLines(Path.Combine(thread, "status")).Single(l => l.StartsWith("SigBlk:"));
            var blocked = Convert.ToUInt64(line["SigBlk:".Length..].Trim(), 16);
            Assert.That(blocked & wanted, Is.EqualTo(wanted), $"thread {thread}: {line}");
        }
    }

    [Test]
    public void EveryThreadOfPid1BlocksTheSignalsItHandles()
    {
        using var init = FakeManagedInit.Start();
        AssertEveryThreadBlocksTheHandledSignals(init.InitHostPid);
    }

    [Test]
    public void ArgumentsAroundTheManagerOptionPassThroughInOrder()
    {
        using var init = FakeManagedInit.StartBare(["-p", "/x.sock", "--manager=/nonexistent/m", "--unknown", "boot"]);
        Assert.That(init.WaitForExit(), Is.True);
        Assert.That(init.Output, Does.Contain("/nonexistent/m"), "the --manager=PATH form names the manager");
        using var running = FakeManagedInit.Start(["-p", "/x.sock", "--unknown", "-q", "boot"]);
        Assert.That(running.Log(), Does.Contain("args=-p,/x.sock,--unknown,-q,boot"), running.Describe());
    }

    [Test]
    public void TheManagerStartsWithNoSignalBlockedOrIgnored()
    {
        using var init = FakeManagedInit.Start();
        Assert.That(init.Log(), Does.Contain("SigBlk:0000000000000000 SigIgn:0000000000000000"), init.Describe());
    }

    [Test]
    public void AnOrphanIsReapedAndItsRawExitStatusForwarded()
    {
        using var init = FakeManagedInit.Start();
        var orphan = init.Orphan("orphan 0.2 7");
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={7 << 8}")), init.Describe());
        Assert.That(init.ProcessWithInnerPid(orphan), Is.Null, "the orphan must be gone, not a zombie");
        Assert.That(init.Processes().Where(p => p.State == 'Z'), Is.Empty);
    }

    [Test]
    public void AnOrphanKilledByASignalIsForwardedWithThatSignalInItsStatus()
    {
        using var init = FakeManagedInit.Start();
        var orphan = init.Orphan("orphan 100 0");
        var host = init.ProcessWithInnerPid(orphan)!.HostPid;
        CommandResult.Run("kill", ["-KILL", host.ToString()]);
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={SIGKILL}")), init.Describe());
    }

    [TestCase("TERM", 15)]
    [TestCase("INT", 2)]
    [TestCase("QUIT", 3)]
    [TestCase("HUP", 1)]
    [TestCase("USR1", 10)]
    [TestCase("USR2", 12)]
    [TestCase("PWR", 30)]
    public void AShutdownSignalToPid1IsForwardedToTheManager(string name, int number)
    {
        using var init = FakeManagedInit.Start();
        CommandResult.Run("kill", ["-" + name, init.InitHostPid.ToString()]);
        Assert.That(Poll.Until(() => init.Received($"recv kind=3 arg={number} status=0")), init.Describe());
        Assert.That(init.HasExited, Is.False, "PID 1 must survive the signal and leave the decision to the manager");
    }

    [TestCase(2, SIGINT, "halt", TestName = "ShutdownHaltEndsTheNamespaceLeavingNoProcess")]
    [TestCase(3, SIGINT, "poweroff", TestName = "ShutdownPowerOffEndsTheNamespaceLeavingNoProcess")]
    [TestCase(4, SIGHUP, "reboot", TestName = "ShutdownRebootEndsTheNamespaceLeavingNoProcess")]
    [TestCase(6, SIGHUP, "kexec", TestName = "ShutdownKexecWithNoKernelLoadedFallsBackToReboot")]
    public void ShutdownFromTheManagerEndsTheNamespace(int type, int signalSeenByParent, string kind)
    {
        using var init = FakeManagedInit.Start();
        var initHostPid = init.InitHostPid;
        var sleeper = init.Orphan("orphan 1000 0");
        var stubborn = init.Orphan("stubborn");      // ignores SIGTERM: needs the SIGKILL after the grace time
        Assert.That(init.ProcessWithInnerPid(stubborn), Is.Not.Null);
        init.Command($"shutdown {type}");       // sends Shutdown and exits at once, as tinyinitd does
        Assert.That(init.WaitForExit(), Is.True, init.Describe());
        Assert.That(init.ExitCode, Is.EqualTo(128 + signalSeenByParent), init.Output);
        Assert.That(ProcessTable.Descendants(initHostPid), Is.Empty);
        Assert.That(init.Output, Does.Contain($"tinyinit: shutting down: {kind}\n"));
        Assert.That(sleeper, Is.Not.EqualTo(stubborn));
    }

    [Test]
    public void AShutdownSentWellBeforeTheManagerExitsWaitsForThatExit()
    {
        using var init = FakeManagedInit.Start();
        init.Command("send 4 2 0");
        var orphan = init.Orphan("orphan 0.1 4");
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={4 << 8}")), init.Describe());
        Assert.That(init.HasExited, Is.False, "init must let the manager finish before the final kill");
        init.Command("exit 0");
        Assert.That(init.WaitForExit(), Is.True, init.Describe());
        Assert.That(init.ExitCode, Is.EqualTo(128 + SIGINT), init.Output);
    }

    // 1,100 forks from Python: 57 s were seen with two cores loaded 10x, so the waits are generous.
    [Test, CancelAfter(300_000)]
    public void ExitsBeyondTheQueueCapacityAreCountedAndReportedAsLost()
    {
        const int orphans = 1100, capacity = 1024;
        using var init = FakeManagedInit.Start(waitForHello: false, prepare: dir =>
        {
            File.WriteAllText(Path.Combine(dir, "orphans-at-start"), orphans.ToString());
            File.WriteAllText(Path.Combine(dir, "hold-hello"), "");
        });
        Assert.That(Poll.Until(() => init.Log().Contains("orphans-at-start done"), TimeSpan.FromSeconds(240)), init.Describe());
        // PID 1 reaped every orphan although no manager had said Hello: only it and the manager are left.
        Assert.That(Poll.Until(() => init.Processes().Count == 2), init.Describe());
        File.Delete(Path.Combine(init.WorkDir, "hold-hello"));
        Assert.That(Poll.Until(() => init.Received($"recv kind=5 arg={orphans - capacity} status=0")), init.Describe());
        Assert.That(init.Log().Split('\n').Count(l => l.StartsWith("recv kind=2 ")), Is.EqualTo(capacity));
        Assert.That(init.Output, Does.Contain("event queue full"));
    }

    [Test]
    public void AManagerExitingWithStatus242AsksForHaltWithoutAMessage()
    {
        using var init = FakeManagedInit.Start();
        init.Command("exit 242");
        Assert.That(init.WaitForExit(), Is.True, init.Describe());
        Assert.That(init.ExitCode, Is.EqualTo(128 + SIGINT));
        Assert.That(init.ManagerStarts(), Has.Count.EqualTo(1), "a shutdown status must not restart the manager");
    }

    [Test]
    public void AKilledManagerIsRestartedAndGetsTheExitStatusesItMissed()
    {
        using var init = FakeManagedInit.Start();
        var first = init.ManagerStarts().Single();
        var orphan = init.Orphan("orphan 1.5 7");
        File.WriteAllText(Path.Combine(init.WorkDir, "hold-hello"), "");     // the next manager waits before Hello
        CommandResult.Run("kill", ["-KILL", init.ProcessWithInnerPid(first)!.HostPid.ToString()]);
        Assert.That(Poll.Until(() => init.ManagerStarts().Count == 2), init.Describe());
        // The orphan ends while no manager listens: it is reaped at once, its status kept.
        Assert.That(Poll.Until(() => init.ProcessWithInnerPid(orphan) == null), init.Describe());
        Assert.That(init.Processes().Where(p => p.State == 'Z'), Is.Empty);
        File.Delete(Path.Combine(init.WorkDir, "hold-hello"));
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={7 << 8}")), init.Describe());
        var second = init.ManagerStarts()[1];
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(init.ProcessWithInnerPid(second)!.HostParentPid, Is.EqualTo(init.InitHostPid));
        Assert.That(init.Output, Does.Contain("manager ended (wait status 9); restarting it"));
    }

    [Test]
    public void AManagerThatKeepsCrashingIsRestartedAtMostOncePerSecond()
    {
        using var init = FakeManagedInit.Start(prepare: dir => File.WriteAllText(Path.Combine(dir, "crash-at-start"), ""), waitForHello: false);
        Assert.That(Poll.Until(() => init.ManagerStarts().Count >= 1), init.Describe());
        Thread.Sleep(3000);
        var starts = init.ManagerStarts().Count;
        Assert.That(starts, Is.InRange(2, 5), init.Describe());
        Assert.That(init.HasExited, Is.False);
    }

    [Test]
    public void SigtermWithNoManagerReadyHaltsDirectly()
    {
        using var init = FakeManagedInit.Start(prepare: dir => File.WriteAllText(Path.Combine(dir, "crash-at-start"), ""), waitForHello: false);
        Assert.That(Poll.Until(() => init.ManagerStarts().Count >= 1), init.Describe());
        CommandResult.Run("kill", ["-TERM", init.InitHostPid.ToString()]);
        Assert.That(init.WaitForExit(), Is.True, init.Describe());
        Assert.That(init.ExitCode, Is.EqualTo(128 + SIGINT), init.Output);
    }

    [Test]
    public void SoftRebootKillsEverythingAndStartsAFreshManagerUnderTheSamePid1()
    {
        using var init = FakeManagedInit.Start();
        var initHostPid = init.InitHostPid;
        var orphan = init.Orphan("orphan 1000 0");
        init.Command("send 4 5 0");
        init.Command("exit 0");
        Assert.That(Poll.Until(() => init.Log().Split("hello sent").Length == 3), init.Describe());
        Assert.That(init.HasExited, Is.False);
        Assert.That(init.InitHostPid, Is.EqualTo(initHostPid));
        Assert.That(init.ProcessWithInnerPid(orphan), Is.Null, "a soft reboot stops every process");
        Assert.That(init.Processes()[0].Name, Is.EqualTo("tinyinit"));
    }

    [Test]
    public void AMalformedMessageFromTheManagerIsIgnored()
    {
        using var init = FakeManagedInit.Start();
        init.Command("raw 04ff000002000000000000000000000000");
        init.Command("raw 0401000009000000");
        Assert.That(Poll.Until(() => init.Output.Contains("ignoring a malformed message from the manager")), init.Describe());
        var orphan = init.Orphan("orphan 0.1 3");
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={3 << 8}")), init.Describe());
        Assert.That(init.HasExited, Is.False);
    }

    [Test]
    public void NoManagerFoundIsAClearErrorWithExitCode111()
    {
        using var init = FakeManagedInit.StartBare(["--manager", "/nonexistent/tinyinitd"]);
        Assert.That(init.WaitForExit(), Is.True);
        Assert.That(init.ExitCode, Is.EqualTo(111));
        Assert.That(init.Output, Does.Contain("manager not found or not executable: /nonexistent/tinyinitd"));
    }

    [Test]
    public void TheManagerEnvironmentVariableIsHonouredAndChecked()
    {
        using var init = FakeManagedInit.StartBare([], new Dictionary<string, string> { ["TINYINIT_MANAGER"] = "/nonexistent/other" });
        Assert.That(init.WaitForExit(), Is.True);
        Assert.That(init.ExitCode, Is.EqualTo(111));
        Assert.That(init.Output, Does.Contain("/nonexistent/other"));
    }

    [Test]
    public void NotPid1ItReapsAsASubreaperAndAtShutdownExitsLeavingOthersAlone()
    {
        using var init = FakeManagedInit.Start(asPid1: false);
        var orphan = init.Orphan("orphan 0.2 5");
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={5 << 8}")), init.Describe());
        var survivor = init.Orphan("orphan 1000 0");
        try
        {
            init.Command("shutdown 2");
            Assert.That(init.WaitForExit(), Is.True, init.Describe());
            Assert.That(init.ExitCode, Is.EqualTo(0), init.Output);
            Assert.That(init.Output, Does.Contain("not PID 1"));
            Assert.That(ProcessTable.Snapshot().Any(p => p.HostPid == survivor), Is.True, "kill(-1) must never run outside PID 1");
        }
        finally
        {
            CommandResult.Run("kill", ["-KILL", survivor.ToString()]);
        }
    }

    [Test]
    public void WithoutProcMountedPid1TakesItselfForKernelBootedAndStillWorks()
    {
        // No /proc: Environment.ProcessPath may be unknown (the re-exec then uses argv[0]) and the
        // namespace test cannot run, so tinyinit assumes a kernel boot and says so to the manager.
        using var init = FakeManagedInit.Start(hideProc: true);
        Assert.That(init.Processes()[0].Name, Is.EqualTo("tinyinit"));
        Assert.That(init.Log(), Does.Contain("kernel=1 args="), init.Describe());
        AssertEveryThreadBlocksTheHandledSignals(init.InitHostPid);
        var orphan = init.Orphan("orphan 0.1 6");
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={6 << 8}")), init.Describe());
        CommandResult.Run("kill", ["-TERM", init.InitHostPid.ToString()]);
        Assert.That(Poll.Until(() => init.Received("recv kind=3 arg=15 status=0")), init.Describe());
    }
}
