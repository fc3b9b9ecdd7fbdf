using System.Text.Json;
using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Ctl.Tests.CtlRun;

namespace Tinyinit.Ctl.Tests;

/// <summary>tinyctl's command layer against a real ControlSession over a Unix socket (fake backend behind it).</summary>
public class EndToEndTests
{
    private FakeServer _server = null!;
    private FakeBackend Backend => _server.Backend;

    [SetUp]
    public void SetUp() => _server = new FakeServer();

    [TearDown]
    public void TearDown() => _server.Dispose();

    private CtlResult Run(params string[] args) => Against(_server, args);

    private static void Expect(CtlResult r, int code, string stdout, string stderr = "") =>
        Assert.That((r.ExitCode, r.Stdout, r.Stderr), Is.EqualTo((code, stdout, stderr)));

    [Test]
    public void StartWaitsForTheStartedEvent()
    {
        Backend.OnDisk["mpd"] = new FakeService("mpd");
        Expect(Run("start", "mpd"), 0, "Service 'mpd' started.\n");
        Assert.That(Backend.Calls, Does.Contain("start mpd pin=False"));
    }

    [Test]
    public void StartWithPinAndNoWait()
    {
        Backend.OnDisk["mpd"] = new FakeService("mpd");
        _server.CompleteTransitions = false;
        Expect(Run("start", "--pin", "--no-wait", "mpd"), 0, "Issued start command successfully for service 'mpd'.\n");
        Assert.That(Backend.Calls, Does.Contain("start mpd pin=True"));
    }

    [Test]
    public void StartOfAStartedServiceSaysAlready()
    {
        Backend.Add("a", ServiceState.Started);
        Expect(Run("start", "a"), 0, "Service (already) started.\n");
    }

    [Test]
    public void SynchronousStartSaysStartedWithoutAlready()
    {
        Backend.Add("int", synchronous: true);
        Expect(Run("start", "int"), 0, "Service started.\n");
    }

    [Test]
    public void QuietSuppressesInformationalOutput()
    {
        Backend.Add("a", ServiceState.Started);
        Expect(Run("--quiet", "start", "a"), 0, "");
    }

    [Test]
    public void ExecFailureIsReportedWithStageAndError()
    {
        var bad = new FakeService("bad-command")
        {
            FailStartWith = new ServiceStatus(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.ExecFailed, ExecStage: ExecStage.DoExec, ExecErrno: 2),
        };
        Backend.OnDisk["bad-command"] = bad;
        Expect(Run("start", "bad-command"), 1,
            "Service 'bad-command' failed to start.\nReason: execution of service process failed:\n        Stage: executing command\n        Error: No such file or directory\n");
    }

    [Test]
    public void LoadFailuresPrintTheTwoLineMessages()
    {
        Expect(Run("start", "nothere"), 1, "",
            "tinyctl: failed to find service description.\ntinyctl: check service description file exists / service name spelling.\n");
        Backend.LoadFailures["broken"] = LoadFailure.DescriptionError;
        Expect(Run("start", "broken"), 1, "",
            "tinyctl: error in service description.\ntinyctl: try 'dinit-check <service-name>' or check log for more information.\n");
        Expect(Run("stop", "--ignore-unstarted", "nothere"), 0, "");
    }

    [Test]
    public void AnInvalidServiceNameIsAProtocolError() =>
        Expect(Run("start", ".hidden"), 1, "", "tinyctl: protocol error\n");

    [Test]
    public void StopRefusedByDependentsListsThem()
    {
        var critical = Backend.Add("critical", ServiceState.Started);
        critical.Dependents.AddRange([Backend.Add("intermediary", ServiceState.Started), Backend.Add("boot", ServiceState.Started)]);
        Expect(Run("stop", "critical"), 1, "",
            "tinyctl: cannot stop service 'critical' due to the following dependents:\n" +
            "(only direct dependents are listed. Exercise caution before using '--force' !!)\n" +
            "  intermediary boot\n");
        Expect(Run("stop", "--force", "critical"), 0, "Service 'critical' stopped.\n");
    }

    [Test]
    public void PinnedServicesAreRefused()
    {
        Backend.Add("a", ServiceState.Started).PinnedStarted = true;
        Expect(Run("stop", "a"), 1, "", "tinyctl: cannot stop service 'a' as it is pinned started\n");
        Backend.Add("b").PinnedStopped = true;
        Expect(Run("start", "b"), 1, "", "tinyctl: cannot start service 'b' as it is pinned stopped\n");
    }

    [Test]
    public void ReleaseWaitsForTheStop()
    {
        Backend.Add("a", ServiceState.Started);
        Expect(Run("release", "a"), 0, "Service 'a' stopped.\n");
    }

    [Test]
    public void ReleaseOfAServiceOthersStillNeedEndsInsteadOfWaitingForever()
    {
        Backend.Add("a", ServiceState.Started).RequiredByDependents = true;
        Expect(Run("release", "a"), 0, "Service 'a' released; it stays started while other services require it.\n");
    }

    [Test]
    public void RestartReportsBothPhases()
    {
        Backend.Add("a", ServiceState.Started);
        Expect(Run("restart", "a"), 0, "Service 'a' stopped.\nService 'a' started.\n");
        Assert.That(Backend.Calls, Does.Contain("restart a gentle=True"));
    }

    [Test]
    public void RestartOfAStoppedService()
    {
        Backend.Add("a");
        Expect(Run("restart", "a"), 1, "", "tinyctl: cannot restart service; service not started.\n");
        Expect(Run("restart", "--ignore-unstarted", "a"), 0, "Service 'a' is not currently started.\n");
    }

    [Test]
    public void StartDuringShutdownIsRefused()
    {
        Backend.Add("a");
        Backend.ShuttingDown = true;
        Expect(Run("start", "a"), 1, "", "tinyctl: cannot start/restart/wake service, shutdown is in progress.\n");
    }

    [Test]
    public void WakeWithoutDependents() =>
        Expect(RunWith(b => b.Add("a")), 1, "", "tinyctl: service has no active dependents, cannot wake.\n");

    private CtlResult RunWith(Action<FakeBackend> setup)
    {
        setup(Backend);
        return Run("wake", "a");
    }

    [Test]
    public void StatusShowsFileStateActivationAndPid()
    {
        Backend.Add("b", ServiceState.Started).Status = new ServiceStatus(ServiceState.Started, ServiceState.Started,
            StatusFlags.HasPid | StatusFlags.ExplicitlyActivated, Pid: 4242);
        Expect(Run("status", "b"), 0,
            "Service: b\n    File: /etc/tinyinit.d/b\n    State: STARTED\n    Activation: explicitly started\n    Process ID: 4242\n");
    }

    [Test]
    public void StatusOfATemplateInstanceUsesTheBaseNameAndResolvesRelativeDirectories()
    {
        var svc = Backend.Add("tmpl@a1");
        svc.Directory = "services";
        Assert.That(Run("status", "tmpl@a1").Stdout, Does.StartWith("Service: tmpl@a1\n    File: services/tmpl\n    State: STOPPED\n"));
    }

    [Test]
    public void StatusJson()
    {
        Backend.Add("b", ServiceState.Started);
        var r = Run("status", "--json", "b");
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.That(doc.RootElement.GetProperty("state").GetString(), Is.EqualTo("STARTED"));
        Assert.That(doc.RootElement.GetProperty("file").GetString(), Is.EqualTo("/etc/tinyinit.d/b"));
    }

    [Test]
    public void StatusOfAnUnloadedService()
    {
        Expect(Run("status", "x"), 1, "", "tinyctl: service not loaded.\n");
        Expect(Run("is-started", "x"), 1, "");
    }

    [Test]
    public void IsStartedAndIsFailed()
    {
        Backend.Add("up", ServiceState.Started);
        Backend.Add("down").Status = new ServiceStatus(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.TimedOut);
        Expect(Run("is-started", "up"), 0, "STARTED\n");
        Expect(Run("is-failed", "up"), 1, "STARTED\n");
        Expect(Run("is-failed", "down"), 0, "STOPPED\n");
        Expect(Run("--quiet", "is-started", "down"), 1, "");
        using var doc = JsonDocument.Parse(Run("is-failed", "--json", "down").Stdout);
        Assert.That(doc.RootElement.GetProperty("result").GetBoolean(), Is.True);
    }

    [Test]
    public void ListInRecordOrder()
    {
        Backend.Add("boot", ServiceState.Started).Status = new ServiceStatus(ServiceState.Started, ServiceState.Started, StatusFlags.ExplicitlyActivated);
        Backend.Add("stopped-svc");
        Backend.Add("t@" + new string('x', 300));
        var r = Run("list");
        Assert.That(r.ExitCode, Is.Zero);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("[[+]     ] boot"));
        Assert.That(lines[1], Is.EqualTo("[     {-}] stopped-svc"));
        Assert.That(lines[2], Is.EqualTo("[     {-}] t@" + new string('x', 254)), "long names list (truncated to 256 bytes)");
    }

    [Test]
    public void ListJson()
    {
        Backend.Add("a", ServiceState.Started);
        Backend.Add("b");
        using var doc = JsonDocument.Parse(Run("list", "--json").Stdout);
        var services = doc.RootElement.GetProperty("services");
        Assert.That(services.GetArrayLength(), Is.EqualTo(2));
        Assert.That(services[1].GetProperty("name").GetString(), Is.EqualTo("b"));
        Assert.That(services[1].GetProperty("state").GetString(), Is.EqualTo("STOPPED"));
    }

    [Test]
    public void ShutdownWaitsForTheDaemonToClose()
    {
        Expect(Run("shutdown"), 0, "Shutting down tinyinit...\nConnection closed.\n");
        Assert.That(Backend.ShutdownRequested, Is.EqualTo(ShutdownType.Halt));
    }

    [Test]
    public void RebootProgramSendsItsType()
    {
        var r = Invoke("reboot", new Dictionary<string, string> { ["DINIT_SOCKET_PATH"] = _server.Path });
        Expect(r, 0, "Issuing shutdown command...\n");
        Assert.That(Backend.ShutdownRequested, Is.EqualTo(ShutdownType.Reboot));
    }

    [Test]
    public void UnpinUnloadReload()
    {
        Backend.Add("a");
        Expect(Run("unpin", "a"), 0, "Service 'a' unpinned.\n");
        Expect(Run("reload", "a"), 0, "Service 'a' reloaded.\n");
        Backend.ReloadSucceeds = false;
        Expect(Run("reload", "a"), 1, "", "tinyctl: could not reload service; service in wrong state, incompatible change, or bad service description.\n");
        Expect(Run("unload", "a"), 0, "Service 'a' unloaded.\n");
        Expect(Run("unload", "a"), 1, "", "tinyctl: service not loaded.\n");
    }

    [Test]
    public void AddAndRemoveDependencies()
    {
        Backend.Add("a");
        Backend.Add("b");
        Expect(Run("add-dep", "need", "a", "b"), 0, "Service 'a': dependency 'b' added\n");
        Expect(Run("add-dep", "waits-for", "b", "a"), 1, "", "tinyctl: could not add dependency: circular dependency or wrong state\n");
        Expect(Run("rm-dep", "regular", "a", "b"), 0, "Service 'a': dependency 'b' removed\n");
        Expect(Run("rm-dep", "regular", "a", "b"), 1, "", "tinyctl: no such dependency to remove\n");
        Expect(Run("add-dep", "milestone", "a", "a"), 1, "", "tinyctl: control socket protocol error\n");
    }

    [Test]
    public void EnvironmentCommands()
    {
        var env = new Dictionary<string, string> { ["DINIT_SOCKET_PATH"] = _server.Path, ["FROMCTL"] = "x y" };
        Expect(Invoke("tinyctl", env, "setenv", "A=1", "FROMCTL"), 0, "");
        Assert.That(Backend.Environment, Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "1", ["FROMCTL"] = "x y" }));
        Expect(Run("unsetenv", "A"), 0, "");
        Expect(Run("unsetenv", "A=2"), 1, "", "tinyctl: environment variable 'A=2' must not contain the '=' sign.\n");
        const string Rule = "it must be non-empty, without '=', whitespace or control characters";
        Expect(Run("setenv", "=x"), 1, "", $"tinyctl: invalid environment variable name '': {Rule}.\n");
        Expect(Run("setenv", "A B=1"), 1, "", $"tinyctl: invalid environment variable name 'A B': {Rule}.\n");
        Expect(Run("setenv", "N=" + new string('v', 1019)), 0, "");
        Expect(Run("setenv", "N=" + new string('v', 1020)), 1, "", "tinyctl: environment variable 'N' too long.\n");
        var all = Run("getallenv");
        Assert.That(all.ExitCode, Is.Zero);
        Assert.That(all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(new[] { "FROMCTL=x y", "N=" + new string('v', 1019) }));
        using var doc = JsonDocument.Parse(Run("getallenv", "--json").Stdout);
        Assert.That(doc.RootElement.GetProperty("environment").GetProperty("FROMCTL").GetString(), Is.EqualTo("x y"));
    }

    [Test]
    public void TriggerCatlogAndSignal()
    {
        var t = Backend.Add("t");
        t.Triggered = true;
        Backend.Add("plain");
        Expect(Run("trigger", "t"), 0, "");
        Assert.That(t.TriggerValue, Is.True);
        Expect(Run("trigger", "plain"), 1, "", "tinyctl: cannot trigger a service that is not of 'triggered' type.\n");
        t.Log = "line 1\npartial"u8.ToArray();
        Expect(Run("--quiet", "catlog", "--clear", "t"), 0, "line 1\npartial\n(last line is truncated or incomplete)\n");
        Expect(Run("catlog", "t"), 0, "");
        Expect(Run("catlog", "plain"), 1, "", "tinyctl: cannot cat log for service not configured to buffer output.\n");
        Expect(Run("signal", "HUP", "plain"), 1, "", "tinyctl: could not get valid PID of service; service is not process-based or is in wrong state.\n");
        Backend.Add("p", ServiceState.Started).Status = new ServiceStatus(ServiceState.Started, ServiceState.Started, StatusFlags.HasPid, Pid: 10);
        Expect(Run("signal", " +15", "p"), 0, "");
        Expect(Run("signal", "99", "p"), 1, "", "tinyctl: provided signal was invalid.\n");
        Assert.That(Backend.Calls, Does.Contain("signal p 15"));
    }

    [Test]
    public void CatlogJson()
    {
        var t = Backend.Add("t");
        t.Log = "one\ntwo"u8.ToArray();
        using var doc = JsonDocument.Parse(Run("catlog", "--json", "t").Stdout);
        Assert.That(doc.RootElement.GetProperty("log").GetString(), Is.EqualTo("one\ntwo"));
        Assert.That(doc.RootElement.GetProperty("lastLineComplete").GetBoolean(), Is.False);
    }

    [Test]
    public void MonitorInEnvironmentModeReportsInitialValues()
    {
        Backend.Environment["WATCHED"] = "v1";
        Backend.Environment["OTHER"] = "x";
        var output = Path.Combine(Path.GetTempPath(), "tinyctl-monitor-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = Invoke("tinyctl", null, "monitor", "-p", _server.Path, "-E", "-i", "-e", "-c", $"sh -c \"echo %n %s %v > {output}\"", "WATCHED");
            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            Assert.That(File.ReadAllText(output), Is.EqualTo("WATCHED set v1\n"));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void MonitorOfAMissingService()
    {
        var r = Invoke("dinit-monitor", null, "-p", _server.Path, "-c", "true", "nothere");
        Assert.That((r.ExitCode, r.Stderr), Is.EqualTo((1, "dinit-monitor: cannot load service: nothere\n")));
    }

    [Test]
    public void DinitctlNamePrefixesErrors()
    {
        var r = Invoke("dinitctl", new Dictionary<string, string> { ["DINIT_SOCKET_PATH"] = _server.Path }, "status", "x");
        Expect(r, 1, "", "dinitctl: service not loaded.\n");
    }

    [Test]
    public void MonitorRunsTheCommandForTheInitialStateAndExits()
    {
        Backend.Add("a", ServiceState.Started);
        var output = Path.Combine(Path.GetTempPath(), "tinyctl-monitor-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = Invoke("dinit-monitor", null, "-p", _server.Path, "-i", "-e", "-c", $"sh -c \"echo %n=%s > {output}\"", "a");
            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            Assert.That(File.ReadAllText(output), Is.EqualTo("a=started\n"));
        }
        finally
        {
            File.Delete(output);
        }
    }

    private bool Loaded(string name)
    {
        lock (Backend) return Backend.Loaded.Any(s => s.Name == name);
    }

    [Test]
    public void MonitorReportsEventsAsTheyHappen()
    {
        Backend.OnDisk["a"] = new FakeService("a");
        var output = Path.Combine(Path.GetTempPath(), "tinyctl-monitor-" + Guid.NewGuid().ToString("N"));
        try
        {
            var monitor = Task.Run(() => Invoke("dinit-monitor", null, "-p", _server.Path, "-e", "--str-started", "UP", "-c", $"sh -c \"echo %n %s > {output}\"", "a"));
            // The fake server serves one connection at a time, so the start comes from inside,
            // once the monitor has loaded the service (and so holds a handle for it).
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && !Loaded("a")) Thread.Sleep(20);
            Thread.Sleep(50);
            lock (Backend)
            {
                var a = Backend.Loaded.Single(s => s.Name == "a");
                a.Status = a.Status with { State = ServiceState.Started, Target = ServiceState.Started };
                Backend.Hub.BroadcastServiceEvent(a, ServiceEventCode.Started);
            }
            Assert.That(monitor.Wait(10_000), Is.True, "monitor exits after the first command (-e)");
            Assert.That(monitor.Result.ExitCode, Is.Zero);
            Assert.That(File.ReadAllText(output), Is.EqualTo("a UP\n"));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
