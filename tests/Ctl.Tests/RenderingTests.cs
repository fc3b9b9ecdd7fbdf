using System.Text.Json;
using Tinyinit.Ctl.Commands;
using Tinyinit.Ctl.Monitor;
using Tinyinit.Ctl.Render;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Tests;

/// <summary>Text and JSON rendering of decoded statuses (ctl.md §3.4, §4.2, §5).</summary>
public class RenderingTests
{
    private static ServiceListEntry Entry(string name, ServiceStatus s) => new(name, s);

    [Test]
    public void ListLinesMatchTheSpecExamples()
    {
        var pid = StatusFlags.HasPid;
        var expl = StatusFlags.ExplicitlyActivated;
        var cases = new (ServiceStatus Status, string Name, string Line)[]
        {
            (new(ServiceState.Started, ServiceState.Started, expl), "boot", "[[+]     ] boot"),
            (new(ServiceState.Started, ServiceState.Started, pid, Pid: 14823), "mpd", "[{+}     ] mpd (pid: 14823)"),
            (new(ServiceState.Starting, ServiceState.Started), "starting-svc", "[{ }<<   ] starting-svc"),
            (new(ServiceState.Starting, ServiceState.Stopped), "starting-but-will-stop", "[   <<{ }] starting-but-will-stop"),
            (new(ServiceState.Stopping, ServiceState.Started), "stopping-will-restart", "[{ }>>   ] stopping-will-restart"),
            (new(ServiceState.Stopping, ServiceState.Stopped), "stopping-svc", "[   >>{ }] stopping-svc"),
            (new(ServiceState.Stopped, ServiceState.Stopped), "stopped-svc", "[     {-}] stopped-svc"),
            (new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Terminated, ExitCode: 1, ExitStatus: 1), "crashed", "[     {X}] crashed (exit status: 1)"),
            (new(ServiceState.Started, ServiceState.Started, expl | StatusFlags.StartSkipped), "skipped-fsck", "[[s]     ] skipped-fsck"),
            (new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Terminated, ExitCode: 1), "x", "[     {-}] x (exit status: 0)"),
            (new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Terminated, ExitCode: 2, ExitStatus: 9), "x", "[     {X}] x (signal: 9)"),
            (new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.TimedOut), "x", "[     {X}] x"),
            (new(ServiceState.Started, ServiceState.Started, expl | pid | StatusFlags.HoldsConsole, Pid: 7), "x", "[[+]     ] x (pid: 7) (has console)"),
            (new(ServiceState.Starting, ServiceState.Started, expl | StatusFlags.WaitingForConsole), "x", "[[ ]<<   ] x (waiting for console)"),
        };
        foreach (var (status, name, line) in cases)
            Assert.That(ListLine.Format(Entry(name, status)), Is.EqualTo(line));
    }

    [Test]
    public void StatusBlockOfARunningService()
    {
        var s = new ServiceStatus(ServiceState.Started, ServiceState.Started, StatusFlags.HasPid | StatusFlags.ExplicitlyActivated, Pid: 14823);
        Assert.That(StatusCommand.Text("mpd", "/home/u/.config/dinit.d/mpd", false, s), Is.EqualTo(
            "Service: mpd\n    File: /home/u/.config/dinit.d/mpd\n    State: STARTED\n    Activation: explicitly started\n    Process ID: 14823\n"));
    }

    [Test]
    public void StateTextsFollowTheTable()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StatusText.State(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Failed, ExitCode: 1, ExitStatus: 3)),
                Is.EqualTo("STOPPED (failed to start; exited - status 3)"));
            Assert.That(StatusText.State(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.ExecFailed, ExecStage: 5, ExecErrno: 2)),
                Is.EqualTo("STOPPED (could not be launched)\n        Stage: changing directory\n        Error: No such file or directory"));
            Assert.That(StatusText.State(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Terminated, ExitCode: 2, ExitStatus: 15)),
                Is.EqualTo("STOPPED (terminated; signalled - signal 15)"));
            Assert.That(StatusText.State(new(ServiceState.Stopping, ServiceState.Stopped, ExitCode: 1, ExitStatus: 4)),
                Is.EqualTo("STOPPING(terminated ;exited - status 4)"));
            Assert.That(StatusText.State(new(ServiceState.Starting, ServiceState.Stopped)), Is.EqualTo("STARTING (target state: STOPPED)"));
            Assert.That(StatusText.State(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.DependencyFailed)),
                Is.EqualTo("STOPPED (dependency failed/terminated)"));
        });
    }

    [Test]
    public void FailureDetailsByStopReason()
    {
        Assert.That(StatusText.FailureDetails(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.ExecFailed, ExecStage: ExecStage.DoExec, ExecErrno: 2), "dinit"),
            Is.EqualTo("Reason: execution of service process failed:\n        Stage: executing command\n        Error: No such file or directory\n"));
        Assert.That(StatusText.FailureDetails(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Failed, ExitCode: 2, ExitStatus: 9), "dinit"),
            Is.EqualTo("Reason: service process terminated before ready: signalled - signal 9\n"));
        Assert.That(StatusText.FailureDetails(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Normal), "dinit"),
            Is.EqualTo("Reason unknown/unrecognised. Check dinit log.\n"));
        Assert.That(StatusText.FailureDetails(new(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Normal), "tinyinit"),
            Is.EqualTo("Reason unknown/unrecognised. Check tinyinit log.\n"));
    }

    [Test]
    public void JsonServiceObjectHasTheDocumentedFields()
    {
        var s = new ServiceStatus(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Terminated, ExitCode: 1, ExitStatus: 3);
        var json = JsonOutput.Document(w => { w.WriteStartObject(); JsonOutput.ServiceFields(w, "a\"b", s); w.WriteEndObject(); });
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("name").GetString(), Is.EqualTo("a\"b"));
        Assert.That(root.GetProperty("state").GetString(), Is.EqualTo("STOPPED"));
        Assert.That(root.GetProperty("failed").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("pid").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.GetProperty("exit").GetProperty("status").GetInt32(), Is.EqualTo(3));
        Assert.That(root.GetProperty("stopReason").GetString(), Is.EqualTo("terminated"));
        Assert.That(json, Does.EndWith("}\n"));
    }

    [Test]
    public void MonitorCommandSplittingAndSubstitution()
    {
        Assert.That(NotificationCommand.Split("echo \"a b\"c  x\"\"y"), Is.EqualTo(new[] { "echo", "a bc", "xy" }));
        Assert.That(NotificationCommand.Substitute("%n:%s:%v:%%:%x:%", "svc", "started", "v"), Is.EqualTo("svc:started:v:%:%x:%"));
    }
}
