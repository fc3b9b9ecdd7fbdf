using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §8: automatic restart, restart limits, smooth recovery, prepared-by.</summary>
public class RestartTests
{
    private static World OneProcess(RestartMode mode, Action<ServiceDescription>? tweak = null)
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.Restart = mode;
        tweak?.Invoke(p);
        w.Load();
        w.Start("p");
        w.Take();
        return w;
    }

    [Test]
    public void AProcessWithRestartYesIsRelaunchedAfterAnUnexpectedExit()
    {
        var w = OneProcess(RestartMode.Yes);

        w.Exit("p", 1);

        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log error: Service p process terminated with exit code 1",
            "p Stopped", "spawn p start", "p Started",
        }));
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.Terminated));
        Assert.That(w["p"].IsExplicitlyStarted, Is.True, "keeps its explicit mark");
    }

    [Test]
    public void AProcessWithRestartNoStaysStopped()
    {
        var w = OneProcess(RestartMode.No);

        w.Kill("p", Signals.Kill);

        Assert.That(w.Take(), Is.EqualTo(new[] { "log error: Service p terminated due to signal 9", "p Stopped", "all-stopped" }));
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.Terminated));
        Assert.That(w["p"].StopReason.CountsAsFailure(), Is.False);
    }

    [TestCase(0, 0, false)]
    [TestCase(1, 0, true)]
    [TestCase(0, Signals.Term, false)]
    [TestCase(0, Signals.Hup, false)]
    [TestCase(0, Signals.Kill, true)]
    public void OnFailureRestartsOnlyAfterAFailure(int exitCode, int signal, bool restarts)
    {
        var w = OneProcess(RestartMode.OnFailure);

        if (signal != 0) w.Kill("p", signal); else w.Exit("p", exitCode);

        Assert.That(w["p"].State, Is.EqualTo(restarts ? ServiceState.Started : ServiceState.Stopped));
    }

    [Test]
    public void TheFourthExitWithinTheLimitIntervalStopsTheService()
    {
        var w = OneProcess(RestartMode.Yes);

        for (int i = 0; i < 3; i++)
        {
            w.AdvanceSeconds(1);
            w.Exit("p", 1);
            Assert.That(w["p"].State, Is.EqualTo(ServiceState.Started), $"restart {i + 1} allowed");
        }
        w.AdvanceSeconds(1);
        w.Take();
        w.Exit("p", 1);

        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log error: Service p process terminated with exit code 1",
            "log error: Service p restarting too quickly; stopping.",
            "p Stopped", "all-stopped",
        }));
    }

    [Test]
    public void ExitsSpreadBeyondTheIntervalKeepRestarting()
    {
        var w = OneProcess(RestartMode.Yes);

        for (int i = 0; i < 6; i++)
        {
            w.AdvanceSeconds(6);
            w.Exit("p", 1);
        }

        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void AManualStartResetsTheRestartLimit()
    {
        var w = OneProcess(RestartMode.Yes);
        for (int i = 0; i < 3; i++) w.Exit("p", 1);
        w.Stop("p");
        w.Exit("p");
        w.Start("p");

        w.Exit("p", 1);

        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void ARestartLimitCountOfZeroDisablesTheLimit()
    {
        var w = OneProcess(RestartMode.Yes, p => p.RestartLimitCount = 0);
        for (int i = 0; i < 20; i++) w.Exit("p", 1);
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void TheRelaunchWaitsForTheRestartDelaySinceTheLastLaunch()
    {
        var w = OneProcess(RestartMode.Yes, p => p.RestartDelay = TimeSpan.FromMilliseconds(200));
        w.Advance(TimeSpan.FromMilliseconds(50));

        w.Exit("p", 1);
        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log error: Service p process terminated with exit code 1",
            "p Stopped", "timer p +0.15s",
        }));
        Assert.That(w.StateOf("p"), Is.EqualTo("Starting/Started"));

        w.Advance(TimeSpan.FromMilliseconds(150));
        Assert.That(w.Take(), Is.EqualTo(new[] { "spawn p start", "p Started" }));
    }

    [Test]
    public void SmoothRecoveryRelaunchesWhileStayingStartedWithoutEvents()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.Restart = RestartMode.Yes;
        p.SmoothRecovery = true;
        w.Add("d", ServiceType.Process, "need:p");
        w.Load();
        w.Start("d");
        w.Take();

        w.Exit("p", 1);

        Assert.That(w.Take(), Is.EqualTo(new[] { "log error: Service p process terminated with exit code 1", "spawn p start" }));
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void AFailedSmoothRecoveryIsAnUnrecoverableStop()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.SmoothRecovery = true;
        w.Add("d", ServiceType.Process, "need:p").Restart = RestartMode.Yes;
        w.Load();
        w.Start("d");
        w.System.FailSpawn["p"] = 13;
        w.Take();

        w.Exit("p", 1);

        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log error: Service p process terminated with exit code 1",
            "spawn p start failed",
            "log error: p: execution failed - executing command: errno 13",
            "signal d TERM", "timer d +10s",
        }));
        w.Exit("d");
        Assert.That(w.Events(), Is.EqualTo(new[] { "d Stopped", "p Stopped" }));
        Assert.That(w["d"].StopReason, Is.EqualTo(StopReason.DependencyFailed), "dependents DEPFAILED, not restarted");
    }

    [Test]
    public void SmoothRecoveryWithReadinessWaitsForTheRelaunchedProcessToBeReady()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process).WithReadiness();
        p.SmoothRecovery = true;
        p.StartTimeout = TimeSpan.FromSeconds(5);
        w.Load();
        w.Start("p");
        w.Ready("p");
        w.Take();

        w.Exit("p", 1);
        Assert.That(w.Take(), Is.EqualTo(new[] { "log error: Service p process terminated with exit code 1", "spawn p start", "timer p +5s" }));
        w.Ready("p");
        w.AdvanceSeconds(10);
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Started), "ready in time: the start timer was stopped");
    }

    [Test]
    public void ADependentThatRestartsRestartsItsRestartNoDependencyToo()
    {
        var w = new World();
        w.Add("x", ServiceType.Process);
        w.Add("d", ServiceType.Process, "need:x").Restart = RestartMode.Yes;
        w.Load();
        w.Start("d");
        w.Take();

        w.Exit("x", 1);
        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log error: Service x process terminated with exit code 1",
            "signal d TERM", "timer d +10s",
            "x Stopped", "spawn x start", "x Started",
        }), "x is still required by d, so it re-enters STARTING at once (§8.2)");

        w.Exit("d");
        Assert.That(w.Take(), Is.EqualTo(new[] { "d Stopped", "spawn d start", "d Started" }), "d started once");
    }

    [Test]
    public void AServiceThatFailsToStartNeverRestarts()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process).WithReadiness();
        p.Restart = RestartMode.Yes;
        w.Load();
        w.Start("p");
        w.Take();

        w.Exit("p", 1);

        Assert.That(w.Take(), Is.EqualTo(new[] { "p FailedStart", "p Stopped", "all-stopped" }));
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.Failed));
        Assert.That(w["p"].StopReason.CountsAsFailure(), Is.True);
    }

    [Test]
    public void ARestartOfTheDependentRestartsItsPreparedByService()
    {
        var w = new World();
        w.Add("prep", ServiceType.Process);
        w.Add("d", ServiceType.Process, "prep:prep");
        w.Load();
        w.Start("d");
        w.Take();

        w.Set.Restart(w["d"], gentle: false, out _);
        w.Exit("d");

        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "signal d TERM", "timer d +10s",
            "d Stopped",
            "signal prep TERM", "timer prep +10s",
        }));
        w.Exit("prep");
        Assert.That(w.Take(), Is.EqualTo(new[] { "prep Stopped", "spawn prep start", "prep Started", "spawn d start", "d Started" }));
    }

    [Test]
    public void AutomaticRestartIsDisabledDuringShutdown()
    {
        var w = OneProcess(RestartMode.Yes);
        w.Set.Shutdown(ShutdownType.Reboot);
        w.Take();
        w.Exit("p", 1);
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Stopped));
    }
}
