using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>
/// control-protocol.md, "Process launches complete asynchronously": what a launch leads to
/// (STARTED, or FAILEDSTART then STOPPED) is never raised inside the command or input that
/// launched, so it follows that command's reply. These tests call the set directly and play
/// the daemon's loop turn by turn with <see cref="ServiceSet.CompleteLaunches"/>.
/// </summary>
public class LaunchOutcomeTests
{
    private static World OneService(ServiceType type, string name = "web")
    {
        var w = new World();
        w.Add(name, type);
        w.Load();
        return w;
    }

    private static string[] Timeline(World w)
    {
        var items = w.System.Timeline.ToArray();
        w.System.Timeline.Clear();
        return items;
    }

    [Test]
    public void AProcessServiceStartIsAcknowledgedAndStartedFollowsOnTheNextTurn()
    {
        var w = OneService(ServiceType.Process);

        Assert.That(w.Set.Start(w["web"], pin: false), Is.EqualTo(CommandResult.Ack));
        Assert.That(Timeline(w), Is.EqualTo(new[] { "spawn web start" }));
        Assert.That(w["web"].State, Is.EqualTo(ServiceState.Starting));
        Assert.That(w["web"].Pid, Is.GreaterThan(0), "the process exists already");

        w.Set.CompleteLaunches();

        Assert.That(Timeline(w), Is.EqualTo(new[] { "web Started" }));
        Assert.That(w.Set.HasLaunchOutcomes, Is.False);
    }

    [Test]
    public void AnExecFailureIsReportedOnTheNextTurnWithItsStageAndErrno()
    {
        var w = OneService(ServiceType.Process);
        w.System.FailSpawn["web"] = 2;

        Assert.That(w.Set.Start(w["web"], pin: false), Is.EqualTo(CommandResult.Ack));
        Assert.That(Timeline(w), Is.EqualTo(new[] { "spawn web start failed" }));
        Assert.That(w["web"].State, Is.EqualTo(ServiceState.Starting));

        w.Set.CompleteLaunches();

        Assert.That(Timeline(w), Is.EqualTo(new[]
        {
            "log error: web: execution failed - executing command: No such file or directory",
            "web FailedStart", "web Stopped", "all-stopped",
        }));
        Assert.That(w["web"].StopReason, Is.EqualTo(StopReason.ExecFailed));
        Assert.That(w["web"].ExecFailureStage, Is.EqualTo("executing command"));
        Assert.That(w["web"].ExecFailureErrno, Is.EqualTo(2));
    }

    [Test]
    public void AScriptedStartCommandThatCannotBeLaunchedFailsOnTheNextTurn()
    {
        var w = OneService(ServiceType.Scripted, "setup");
        w.System.FailSpawn["setup"] = 2;

        Assert.That(w.Set.Start(w["setup"], pin: false), Is.EqualTo(CommandResult.Ack));
        Assert.That(Timeline(w), Has.None.Contains("setup FailedStart"));

        w.Set.CompleteLaunches();

        Assert.That(Timeline(w).Where(l => l.StartsWith("setup ")), Is.EqualTo(new[] { "setup FailedStart", "setup Stopped" }));
        Assert.That(w["setup"].StopReason, Is.EqualTo(StopReason.ExecFailed));
    }

    [Test]
    public void AScriptedStopCommandThatCannotBeLaunchedStopsTheServiceOnTheNextTurn()
    {
        var w = new World();
        w.Add("setup", ServiceType.Scripted).StopCommand = ["/bin/teardown"];
        w.Load();
        w.Start("setup");
        w.Exit("setup");
        w.Take();
        w.System.FailSpawn["setup"] = 2;

        Assert.That(w.Set.Stop(w["setup"], force: true, pin: false, gentle: false, out _), Is.EqualTo(CommandResult.Ack));
        Assert.That(Timeline(w), Is.EqualTo(new[] { "spawn setup stop failed" }));

        w.Set.CompleteLaunches();

        Assert.That(Timeline(w), Is.EqualTo(new[]
        {
            "log error: setup: execution failed - executing command: No such file or directory",
            "setup Stopped", "all-stopped",
        }));
    }

    [Test]
    public void AUserRestartRelaunchesAndTheNewProcessIsStartedOnlyOnTheFollowingTurn()
    {
        var w = OneService(ServiceType.Process);
        w.Start("web");
        w.Take();

        Assert.That(w.Set.Restart(w["web"], gentle: false, out _), Is.EqualTo(CommandResult.Ack));
        w.Set.ProcessExited(w["web"].Pid, WaitStatus.FromSignal(Signals.Term));

        Assert.That(Timeline(w), Is.EqualTo(new[] { "signal web TERM", "timer web +10s", "web Stopped", "spawn web start" }));

        w.Set.CompleteLaunches();

        Assert.That(Timeline(w), Is.EqualTo(new[] { "web Started" }));
    }

    [Test]
    public void AProcessThatExitsBeforeItsOutcomeWasActedOnIsFirstStartedThenTerminated()
    {
        var w = OneService(ServiceType.Process);
        w.Set.Start(w["web"], pin: false);
        Timeline(w);

        w.Set.ProcessExited(w["web"].Pid, WaitStatus.FromExitCode(3));

        Assert.That(Timeline(w).Where(l => l.StartsWith("web ")), Is.EqualTo(new[] { "web Started", "web Stopped" }));
        Assert.That(w["web"].StopReason, Is.EqualTo(StopReason.Terminated));
        Assert.That(w.Set.HasLaunchOutcomes, Is.False);
    }

    [Test]
    public void ADependentOfAProcessThatExitsBeforeItsOutcomeStartsThenStopsAsForAnyExit()
    {
        var w = new World();
        w.Add("web", ServiceType.Process);
        w.Add("site", ServiceType.Internal, "need:web");
        w.Load();
        w.Set.Start(w["site"], pin: false);
        Timeline(w);

        w.Set.ProcessExited(w["web"].Pid, WaitStatus.FromExitCode(3));

        Assert.That(w.Events(), Is.EqualTo(new[] { "web Started", "site Started", "web StartCancelled", "site Stopped", "web Stopped" }),
            "after STARTED, what an exit of a started service with a dependent raises");
    }

    [Test]
    public void AStopWhileAnExecFailureIsPendingWaitsForItEvenWhenTheStartIsInterruptible()
    {
        var w = new World();
        w.Add("web", ServiceType.Process).Options |= ServiceOptions.StartInterruptible;
        w.Load();
        w.System.FailSpawn["web"] = 2;
        w.Set.Start(w["web"], pin: false);
        Timeline(w);

        Assert.That(w.Set.Stop(w["web"], force: true, pin: false, gentle: false, out _), Is.EqualTo(CommandResult.Ack));
        Assert.That(Timeline(w), Is.Empty, "no start cancelled, nothing stopped yet");

        w.Set.CompleteLaunches();

        Assert.That(Timeline(w).Where(l => l.StartsWith("web ")), Is.EqualTo(new[] { "web FailedStart", "web Stopped" }));
        Assert.That(w["web"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void LaunchesMadeWhileActingOnOutcomesWaitForTheNextTurn()
    {
        var w = new World();
        w.Add("db", ServiceType.Process);
        w.Add("web", ServiceType.Process, "need:db");
        w.Load();

        w.Set.Start(w["web"], pin: false);
        Assert.That(Timeline(w), Is.EqualTo(new[] { "spawn db start" }));

        w.Set.CompleteLaunches();
        Assert.That(Timeline(w), Is.EqualTo(new[] { "db Started", "spawn web start" }));

        w.Set.CompleteLaunches();
        Assert.That(Timeline(w), Is.EqualTo(new[] { "web Started" }));
    }

    [Test]
    public void ASmoothRecoveryRelaunchThatCannotExecStopsTheServiceOnTheNextTurn()
    {
        var w = new World();
        w.Add("web", ServiceType.Process).SmoothRecovery = true;
        w.Load();
        w.Start("web");
        w.Take();
        w.System.FailSpawn["web"] = 2;

        w.Set.ProcessExited(w["web"].Pid, WaitStatus.FromExitCode(1));
        Assert.That(Timeline(w), Has.None.EndsWith(" Stopped"));

        w.Set.CompleteLaunches();

        Assert.That(Timeline(w).Where(l => l.StartsWith("web ")), Is.EqualTo(new[] { "web Stopped" }));
        Assert.That(w["web"].StopReason, Is.EqualTo(StopReason.ExecFailed));
    }
}
