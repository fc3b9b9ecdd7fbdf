using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §9: start and stop actions per service type.</summary>
public class ServiceTypeTests
{
    [Test]
    public void TriggeredWaitsForTheTriggerAndUntriggerDoesNotStopIt()
    {
        var w = new World();
        w.Add("t", ServiceType.Triggered);
        w.Load();
        w.Start("t");
        Assert.That(w.StateOf("t"), Is.EqualTo("Starting/Started"));
        w.Take();

        Assert.That(w.Set.SetTrigger(w["t"], true), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Events(), Is.EqualTo(new[] { "t Started" }));

        w.Set.SetTrigger(w["t"], false);
        Assert.That(w["t"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void ATriggerSetBeforeTheStartPersistsAndStartsAtOnce()
    {
        var w = new World();
        w.Add("t", ServiceType.Triggered);
        w.Load();
        w.Set.SetTrigger(w["t"], true);
        Assert.That(w.Start("t"), Is.EqualTo(CommandResult.AlreadyInState));
        w.Stop("t");
        Assert.That(w.Start("t"), Is.EqualTo(CommandResult.AlreadyInState), "the trigger persists across stop/start");
    }

    [Test]
    public void ATriggerSetWhileWaitingForDependenciesDoesNotSkipThem()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).WithReadiness();
        w.Add("t", ServiceType.Triggered, "need:x");
        w.Load();
        w.Start("t");
        w.Set.SetTrigger(w["t"], true);
        Assert.That(w["t"].State, Is.EqualTo(ServiceState.Starting));
        w.Take();
        w.Ready("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started", "t Started" }));
    }

    [Test]
    public void AProcessThatExitsBeforeBeingReadyFailsToStart()
    {
        var w = new World();
        w.Add("p", ServiceType.Process).WithReadiness();
        w.Load();
        w.Start("p");
        w.Take();
        w.Exit("p", 3);
        Assert.That(w.Events(), Is.EqualTo(new[] { "p FailedStart", "p Stopped" }));
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.Failed));
        Assert.That(WaitStatus.ExitCode(w["p"].ExitStatus), Is.EqualTo(3));
    }

    [Test]
    public void ReadinessEndOfFileWithoutDataFailsTheStartAndBringsTheProcessDown()
    {
        var w = new World();
        w.Add("p", ServiceType.Process).WithReadiness();
        w.Load();
        w.Start("p");
        w.Take();

        w.Set.ReadinessClosed(w["p"]);
        Assert.That(w.Take(), Is.EqualTo(new[] { "log error: p: readiness notification pipe closed before readiness", "p FailedStart", "signal p TERM", "timer p +10s" }));
        w.Exit("p");
        Assert.That(w.Take(), Is.EqualTo(new[] { "p Stopped", "all-stopped" }));
        // Reference quirk kept (semantics.md §11): the stop reason is left alone, so the service
        // ends without the failed mark.
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.Normal));
    }

    [Test]
    public void AStopCommandReplacesTheTermSignalAndBothProcessesMustEnd()
    {
        var w = new World();
        w.Add("p", ServiceType.Process).StopCommand = ["/bin/stop-p"];
        w.Load();
        w.Start("p");
        w.Take();

        w.Release("p");
        Assert.That(w.Take(), Is.EqualTo(new[] { "spawn p stop", "timer p +10s" }));
        w.Exit("p");
        Assert.That(w.Take(), Is.Empty, "the stop command still runs");
        w.StopCommandExits("p", 2);
        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log warn: Service p stop command terminated with exit code 2",
            "p Stopped", "all-stopped",
        }));
    }

    [Test]
    public void AStopCommandThatCannotBeLaunchedFallsBackToTheTermSignal()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.StopCommand = ["/bin/stop-p"];
        p.TermSignal = 0;
        w.Load();
        w.Start("p");
        w.System.FailSpawn["p"] = 2;
        w.Take();

        w.Release("p");

        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "spawn p stop failed",
            "log error: p: execution failed - executing command: No such file or directory",
            "signal p KILL", "timer p +10s",
        }), "term-signal none: SIGKILL");
    }

    [Test]
    public void TermSignalNoneSendsNothingAndSignalProcessOnlyAvoidsTheGroup()
    {
        var w = new World();
        w.Add("quiet", ServiceType.Process).TermSignal = 0;
        var single = w.Add("single", ServiceType.Process).With(ServiceOptions.SignalProcessOnly);
        single.TermSignal = Signals.Hup;
        w.Load();
        w.Start("quiet");
        w.Start("single");
        w.Take();

        w.Release("quiet");
        w.Release("single");

        Assert.That(w.Take(), Is.EqualTo(new[] { "timer quiet +10s", "signal single HUP (process only)", "timer single +10s" }));
    }

    [Test]
    public void BgprocessReadsThePidFileAfterTheLauncherExits()
    {
        var w = new World();
        w.Add("bg", ServiceType.BgProcess).PidFile = "/run/bg.pid";
        w.Load();
        w.Start("bg");
        Assert.That(w.StateOf("bg"), Is.EqualTo("Starting/Started"));
        w.System.PidFiles["bg"] = 4242;
        w.System.PidStates[4242] = PidState.RunningChild;
        w.Take();

        w.Exit("bg");
        Assert.That(w.Events(), Is.EqualTo(new[] { "bg Started" }));
        Assert.That(w["bg"].Pid, Is.EqualTo(4242));

        w.Set.ProcessExited(4242, WaitStatus.FromExitCode(1));
        Assert.That(w.Take(), Is.EqualTo(new[] { "log error: Service bg process terminated with exit code 1", "bg Stopped", "all-stopped" }));
    }

    [TestCase(null, "log error: bg: read pid file: No such file or directory")]
    [TestCase(77, "log error: bg: pid read from pidfile (77) is not valid")]
    public void BgprocessFailsWhenThePidFileIsMissingOrInvalid(int? pid, string logLine)
    {
        var w = new World();
        w.Add("bg", ServiceType.BgProcess).PidFile = "/run/bg.pid";
        w.Load();
        w.Start("bg");
        if (pid != null) w.System.PidFiles["bg"] = pid;
        w.Take();

        w.Exit("bg");

        Assert.That(w.Take(), Is.EqualTo(new[] { logLine, "bg FailedStart", "bg Stopped", "all-stopped" }));
        Assert.That(w["bg"].StopReason, Is.EqualTo(StopReason.Failed));
    }

    [Test]
    public void BgprocessLauncherFailureFailsTheStart()
    {
        var w = new World();
        w.Add("bg", ServiceType.BgProcess).PidFile = "/run/bg.pid";
        w.Load();
        w.Start("bg");
        w.Take();
        w.Exit("bg", 1);
        Assert.That(w.Events(), Is.EqualTo(new[] { "bg FailedStart", "bg Stopped" }));
    }

    [Test]
    public void AnUnsupervisableBgprocessIsSignalledAndAssumedStoppedAtOnce()
    {
        var w = new World();
        w.Add("bg", ServiceType.BgProcess).PidFile = "/run/bg.pid";
        w.Load();
        w.Start("bg");
        w.System.PidFiles["bg"] = 555;
        w.System.PidStates[555] = PidState.Unsupervisable;
        w.Exit("bg");
        Assert.That(w.Take(), Does.Contain("log warn: bg: unable to supervise process with pid 555"));
        Assert.That(w["bg"].State, Is.EqualTo(ServiceState.Started));

        w.Release("bg");
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal bg TERM", "bg Stopped", "all-stopped" }));
    }

    [Test]
    public void APidFileNamingAProcessThatIsNotTheServicesFailsTheStartAndNothingIsSignalled()
    {
        var w = new World();
        w.Add("bg", ServiceType.BgProcess).PidFile = "/run/bg.pid";
        w.Load();
        w.Start("bg");
        w.System.PidFiles["bg"] = 1;
        w.System.PidStates[1] = PidState.Unsupervisable;
        w.System.ForeignPids[1] = "pid 1 is the init process";
        w.Take();
        w.Exit("bg");
        var lines = w.Take();
        Assert.That(lines, Does.Contain("log error: bg: refusing pid 1 from pid file: pid 1 is the init process"));
        Assert.That(lines, Has.None.StartsWith("signal"));
        Assert.That(w["bg"].State, Is.EqualTo(ServiceState.Stopped));
        Assert.That(w["bg"].StopReason, Is.EqualTo(StopReason.Failed));
    }

    [Test]
    public void APidFileNamingAnotherServicesProcessFailsTheStart()
    {
        var w = new World();
        w.Add("other", ServiceType.Process);
        w.Add("bg", ServiceType.BgProcess).PidFile = "/run/bg.pid";
        w.Load();
        w.Start("other");
        w.Start("bg");
        var otherPid = w["other"].Pid;
        w.System.PidFiles["bg"] = otherPid;
        w.System.PidStates[otherPid] = PidState.RunningChild;
        w.Take();
        w.Exit("bg");
        Assert.That(w.Take(), Does.Contain($"log error: bg: refusing pid {otherPid} from pid file: it is the process of service other"));
        Assert.That(w["bg"].State, Is.EqualTo(ServiceState.Stopped));
        Assert.That(w["other"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void ABgprocessWhoseDaemonAlreadyExitedIsStartedThenTerminated()
    {
        var w = new World();
        w.Add("bg", ServiceType.BgProcess).PidFile = "/run/bg.pid";
        w.Load();
        w.Start("bg");
        w.System.PidFiles["bg"] = 600;
        w.System.PidStates[600] = PidState.ExitedChild;
        w.Take();
        w.Exit("bg");
        Assert.That(w.Events(), Is.EqualTo(new[] { "bg Started", "bg Stopped" }));
        Assert.That(w["bg"].StopReason, Is.EqualTo(StopReason.Terminated));
    }

    [Test]
    public void ScriptedStartsWhenTheCommandSucceedsAndRunsTheStopCommand()
    {
        var w = new World();
        w.Add("s", ServiceType.Scripted).StopCommand = ["/bin/s-stop"];
        w.Load();
        w.Start("s");
        Assert.That(w.StateOf("s"), Is.EqualTo("Starting/Started"));
        w.Exit("s");
        Assert.That(w["s"].State, Is.EqualTo(ServiceState.Started));
        w.Take();

        w.Release("s");
        Assert.That(w.Take(), Is.EqualTo(new[] { "spawn s stop", "timer s +10s" }));
        w.StopCommandExits("s", 1);
        Assert.That(w.Take(), Is.EqualTo(new[] { "log warn: Service s stop command failed with exit code 1", "s Stopped", "all-stopped" }));
    }

    [Test]
    public void ScriptedWithoutStopCommandStopsImmediately()
    {
        var w = new World();
        w.Add("s", ServiceType.Scripted);
        w.Load();
        w.Start("s");
        w.Exit("s");
        w.Take();
        Assert.That(w.Release("s"), Is.EqualTo(CommandResult.AlreadyInState));
    }

    [Test]
    public void AFailingScriptFailsTheStartWithALogLine()
    {
        var w = new World();
        w.Add("s", ServiceType.Scripted);
        w.Load();
        w.Start("s");
        w.Take();
        w.Exit("s", 4);
        Assert.That(w.Take(), Is.EqualTo(new[] { "log error: Service s command failed with exit code 4", "s FailedStart", "s Stopped", "all-stopped" }));
    }

    [TestCase(true, ServiceState.Started)]
    [TestCase(false, ServiceState.Stopped)]
    public void ASkippableScriptInterruptedBySigintCountsAsStarted(bool skippable, ServiceState expected)
    {
        var w = new World();
        var s = w.Add("s", ServiceType.Scripted);
        if (skippable) s.With(ServiceOptions.Skippable);
        w.Load();
        w.Start("s");
        w.Kill("s", Signals.Int);
        Assert.That(w["s"].State, Is.EqualTo(expected));
        Assert.That(w["s"].StartSkipped, Is.EqualTo(skippable));
    }

    [Test]
    public void AnInterruptedScriptThatExitsNonZeroSkipsTheStopCommand()
    {
        var w = new World();
        var s = w.Add("s", ServiceType.Scripted).With(ServiceOptions.StartInterruptible);
        s.StopCommand = ["/bin/s-stop"];
        w.Load();
        w.Start("s");
        w.Stop("s");
        w.Take();
        w.Exit("s", 1);
        Assert.That(w.Take(), Is.EqualTo(new[] { "log info: Service s start cancelled; exit code 1", "s Stopped", "all-stopped" }));
    }

    [Test]
    public void AnInterruptedScriptThatExitsCleanlyRunsTheStopCommand()
    {
        var w = new World();
        var s = w.Add("s", ServiceType.Scripted).With(ServiceOptions.StartInterruptible);
        s.StopCommand = ["/bin/s-stop"];
        w.Load();
        w.Start("s");
        w.Stop("s");
        w.Take();
        w.Exit("s", 0);
        Assert.That(w.Take(), Is.EqualTo(new[] { "spawn s stop", "timer s +10s" }));
    }

    [Test]
    public void KillAllOnStopRunsJustBeforeTheStopActionOfInternalAndScripted()
    {
        var w = new World();
        w.Add("i").With(ServiceOptions.KillAllOnStop);
        w.Load();
        w.Start("i");
        w.Take();
        w.Release("i");
        Assert.That(w.Take(), Is.EqualTo(new[] { "kill-all TERM", "timer i +1s" }), "the grace second is a timer, not a sleep");
        w.AdvanceSeconds(1);
        Assert.That(w.Take(), Is.EqualTo(new[] { "kill-all KILL", "i Stopped", "all-stopped" }));
    }

    [Test]
    public void KillAllOnStopWhereSignallingIsRefusedStopsAtOnce()
    {
        var w = new World();
        w.Add("i").With(ServiceOptions.KillAllOnStop);
        w.Load();
        w.System.MayKillAll = false;
        w.Start("i");
        w.Take();
        w.Release("i");
        Assert.That(w.Take(), Is.EqualTo(new[] { "kill-all refused", "i Stopped", "all-stopped" }));
    }

    [Test]
    public void AScriptedStopCommandRunsAfterKillAllsSigkill()
    {
        var w = new World();
        var s = w.Add("s", ServiceType.Scripted).With(ServiceOptions.KillAllOnStop);
        s.StopCommand = ["/bin/s-stop"];
        w.Load();
        w.Start("s");
        w.Exit("s", 0);
        w.Take();
        w.Stop("s");
        Assert.That(w.Take(), Is.EqualTo(new[] { "kill-all TERM", "timer s +1s" }));
        w.AdvanceSeconds(1);
        Assert.That(w.Take()[..2], Is.EqualTo(new[] { "kill-all KILL", "spawn s stop" }));
    }

    [Test]
    public void TheActivationSocketOpensAtBringUpAndClosesWhenInactive()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.SocketListen = "/run/p.sock";
        p.Restart = RestartMode.Yes;
        w.Load();
        w.Start("p");
        Assert.That(w.Take(), Is.EqualTo(new[] { "socket open p", "spawn p start", "p Started" }));
        w.Exit("p", 1);
        Assert.That(w.Take(), Does.Not.Contain("socket close p"), "kept open across a restart");
        w.Stop("p");
        w.Exit("p");
        Assert.That(w.Take(), Does.Contain("socket close p"));
    }

    [Test]
    public void StartsRwfsAndStartsLogNotifyTheSystem()
    {
        var w = new World();
        w.Add("root").With(ServiceOptions.StartsRwfs);
        w.Add("log").With(ServiceOptions.StartsLog);
        w.Load();
        w.Start("root");
        w.Start("log");
        Assert.That(w.Take(), Is.EqualTo(new[] { "root Started", "rwfs", "log Started", "main-log" }));
    }
}
