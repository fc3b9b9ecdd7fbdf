using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>
/// tinyinit's sd_notify support in the engine (ready-notification = sd_notify,
/// watchdog-timeout): READY=1, STATUS=, MAINPID=, STOPPING=1 and the watchdog, on the fake clock.
/// </summary>
public class SdNotifyTests
{
    private static World Started(double watchdogSeconds = 0, RestartMode restart = RestartMode.No)
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.ReadyNotification = new ReadyNotification(ReadyNotificationKind.SdNotify, -1, null);
        p.WatchdogTimeout = TimeSpan.FromSeconds(watchdogSeconds);
        p.StartTimeout = TimeSpan.FromSeconds(30);
        p.Restart = restart;
        p.RestartDelay = TimeSpan.Zero;
        w.Load();
        w.Start("p");
        Assert.That(w.StateOf("p"), Is.EqualTo("Starting/Started"), "an sd_notify service waits for READY=1");
        w.Ready("p");
        Assert.That(w.StateOf("p"), Is.EqualTo("Started/Started"));
        w.Take();
        return w;
    }

    [Test]
    public void WithoutWatchdogTimeoutNoTimerRunsOnceReady()
    {
        var w = Started();
        Assert.That(w.System.Timers, Is.Empty);
        w.Set.NotifyWatchdog(w["p"]);
        Assert.That(w.System.Timers, Is.Empty, "pings of a service without watchdog-timeout arm nothing");
    }

    [Test]
    public void AServiceThatStopsPingingIsKilledAndRestartedPerItsSettings()
    {
        var w = Started(watchdogSeconds: 5, restart: RestartMode.Yes);
        Assert.That(w.System.Timers[w["p"]], Is.EqualTo(w.System.Now + TimeSpan.FromSeconds(5)), "armed when ready");
        w.AdvanceSeconds(4);
        w.Set.NotifyWatchdog(w["p"]);
        w.AdvanceSeconds(4);
        Assert.That(w.Take(), Does.Not.Contain("signal p KILL"), "a ping in time starts the watchdog over");

        w.AdvanceSeconds(1);
        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log error: Service p with pid 100 missed its watchdog (no WATCHDOG=1 within 5 s); killing.",
            "signal p KILL",
        }));
        w.Kill("p", Signals.Kill);
        Assert.That(w.Take(), Does.Contain("spawn p start"), "restart = yes relaunches it");
        Assert.That(w.StateOf("p"), Is.EqualTo("Starting/Started"));
        Assert.That(w.System.Timers[w["p"]], Is.EqualTo(w.System.Now + TimeSpan.FromSeconds(30)), "the new process has its start timeout, not the watchdog");
        w.Ready("p");
        Assert.That(w.System.Timers[w["p"]], Is.EqualTo(w.System.Now + TimeSpan.FromSeconds(5)), "and the watchdog again once ready");
    }

    [Test]
    public void WithoutRestartAMissedWatchdogStopsTheServiceAsTerminated()
    {
        var w = Started(watchdogSeconds: 2);
        w.AdvanceSeconds(2);
        w.Kill("p", Signals.Kill);
        Assert.That(w.StateOf("p"), Is.EqualTo("Stopped/Stopped"));
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.Terminated));
    }

    [Test]
    public void WatchdogTriggerKillsAtOnce()
    {
        var w = Started(watchdogSeconds: 60);
        w.Set.NotifyWatchdogTrigger(w["p"]);
        Assert.That(w.Take(), Does.Contain("signal p KILL"));
    }

    [Test]
    public void StoppingOnItsOwnEndsTheWatchdog()
    {
        var w = Started(watchdogSeconds: 2);
        w.Set.NotifyStopping(w["p"]);
        Assert.That(w.System.Timers, Is.Empty);
        w.Set.NotifyWatchdog(w["p"]);
        w.AdvanceSeconds(10);
        Assert.That(w.Take(), Does.Not.Contain("signal p KILL"));
        w.Exit("p");
        Assert.That(w.StateOf("p"), Is.EqualTo("Stopped/Stopped"));
    }

    [Test]
    public void AStopCancelsTheWatchdogForTheStopTimer()
    {
        var w = Started(watchdogSeconds: 2);
        w.Stop("p");
        Assert.That(w.Take(), Does.Contain("signal p TERM"));
        w.AdvanceSeconds(5);
        Assert.That(w.Take(), Has.None.Contains("missed its watchdog"));
    }

    [Test]
    public void StatusTextIsKeptUntilTheNextLaunch()
    {
        var w = Started(restart: RestartMode.Yes);
        Assert.That(w["p"].NotifyStatus, Is.Empty);
        w.Set.NotifyStatusText(w["p"], "Serving 3 clients");
        Assert.That(w["p"].NotifyStatus, Is.EqualTo("Serving 3 clients"));
        w.Exit("p", 1);
        w.Take();
        Assert.That(w["p"].NotifyStatus, Is.Empty, "the relaunched process has said nothing yet");
    }

    [Test]
    public void MainPidMovesSupervisionToTheNamedProcess()
    {
        var w = Started();
        Assert.That(w.Set.NotifyMainPid(w["p"], 4242), Is.Null);
        Assert.That(w["p"].Pid, Is.EqualTo(4242));
        Assert.That(w.Set.SupervisedPids, Is.EquivalentTo(new[] { 4242 }));
        w.Set.ProcessExited(100, WaitStatus.FromExitCode(0));
        Assert.That(w.StateOf("p"), Is.EqualTo("Started/Started"), "the old main process exiting is no longer the service's end");
        w.Stop("p");
        Assert.That(w.Take(), Does.Contain("signal p TERM"));
        w.Set.ProcessExited(4242, WaitStatus.FromSignal(15));
        Assert.That(w.StateOf("p"), Is.EqualTo("Stopped/Stopped"));
    }

    [Test]
    public void MainPidOfAnotherServiceOrOfNoRunningServiceIsRefused()
    {
        var w = Started();
        var q = w.Add("q", ServiceType.Process);
        w.Load();
        w.Start("q");
        Assert.That(w.Set.NotifyMainPid(w["p"], w["q"].Pid), Is.EqualTo("it is the process of service q"));
        Assert.That(w.Set.NotifyMainPid(w["p"], 1), Is.EqualTo("not a valid pid"));
        Assert.That(w["p"].Pid, Is.EqualTo(100));
        w.Stop("p");
        w.Exit("p");
        Assert.That(w.Set.NotifyMainPid(w["p"], 5000), Is.EqualTo("the service is not running"));
    }

    [Test]
    public void StatusWatchdogDeadlineAndStoppingSurviveASnapshot()
    {
        var w = Started(watchdogSeconds: 5, restart: RestartMode.Yes);
        w.Set.NotifyStatusText(w["p"], "busy");
        w.AdvanceSeconds(3);

        var restored = Handover.Restore(w, out _);
        Assert.That(restored["p"].NotifyStatus, Is.EqualTo("busy"));
        Assert.That(restored.System.Timers[restored["p"]], Is.EqualTo(w.System.Timers[w["p"]]), "the same absolute deadline");
        restored.AdvanceSeconds(2);
        Assert.That(restored.Take(), Does.Contain("signal p KILL"), "the restored watchdog still fires");

        var quiet = Started(watchdogSeconds: 5);
        quiet.Set.NotifyStopping(quiet["p"]);
        var after = Handover.Restore(quiet, out _);
        after.Set.NotifyWatchdog(after["p"]);
        Assert.That(after.System.Timers, Is.Empty, "a service that said STOPPING=1 still gets no watchdog");
    }

    [Test]
    public void AStandInKeepsTheWatchdogTimeoutOfTheRecord()
    {
        var w = Started(watchdogSeconds: 5);
        var restored = Handover.Restore(w, out var result, describe: _ => null);
        Assert.That(result.StandIns, Has.Length.EqualTo(1));
        Assert.That(restored["p"].Description.WatchdogTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }
}
