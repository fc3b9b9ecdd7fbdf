using System.Net.Sockets;
using Tinyinit.Protocol.Control;
using static Tinyinit.Ctl.Tests.CtlRun;

namespace Tinyinit.Ctl.Tests;

/// <summary>How tinyctl reports daemons that misbehave or are of the wrong version (ctl.md §1.3), and the inherited descriptor.</summary>
public class ProtocolErrorTests
{
    private static readonly byte[] Version7 = [0x3a, 1, 0, 7, 0];

    private static CtlResult RunScripted(byte[][] replies, params string[] args)
    {
        using var server = new ScriptedServer(replies);
        return Invoke("tinyctl", null, ["-p", server.Path, .. args]);
    }

    [Test]
    public void ADaemonRequiringANewerClientIsRefused() =>
        Assert.That(RunScripted([[0x3a, 8, 0, 9, 0]], "list").Stderr, Is.EqualTo("tinyctl: too old (daemon reports newer protocol version)\n"));

    [Test]
    public void EndOfInputInsteadOfAReply() =>
        Assert.That(RunScripted([[]], "list").Stderr, Is.EqualTo("tinyctl: control socket read failure or protocol error\n"));

    [Test]
    public void GarbageInsteadOfAReply() =>
        Assert.That(RunScripted([[0x07]], "list").Stderr, Is.EqualTo("tinyctl: control socket read failure or protocol error\n"));

    [Test]
    public void AListNotEndedByListDone()
    {
        var r = RunScripted([Version7, [0x32]], "list");
        Assert.That((r.ExitCode, r.Stderr), Is.EqualTo((1, "tinyctl: control socket protocol error\n")));
    }

    [Test]
    public void ConnectionClosedWhileWaitingForTheStart()
    {
        // LOADSERVICE → record (STOPPED), QUERYSERVICEDSCDIR → NAK, START → ACK, then EOF.
        var r = RunScripted([Version7, [0x3b, 0, 0, 0, 0, 0, 0], [0x33], [0x32]], "start", "x");
        Assert.That((r.ExitCode, r.Stderr), Is.EqualTo((1, "tinyctl: protocol error\n")));
    }

    [Test]
    public void AStartFailureSeenBeforeTheAckEndsTheCommandAtOnce()
    {
        // The FAILEDSTART event (v5) arrives before the ACK; the reference would then hang.
        var failed = new byte[21];
        failed[0] = (byte)InfoCode.ServiceEvent5;
        failed[1] = 21;
        failed[6] = (byte)ServiceEventCode.FailedStart;
        failed[7 + 3] = (byte)StopReason.DependencyFailed;
        var r = RunScripted([Version7, [0x3b, 0, 0, 0, 0, 0, 0], [0x33], [.. failed, 0x32]], "start", "x");
        Assert.That((r.ExitCode, r.Stdout), Is.EqualTo((1, "Service 'x' failed to start.\nReason: a dependency of the service failed to start. Check tinyinit log.\n")));
    }

    [Test]
    public void UsePassedControlFdTalksOverTheInheritedDescriptor()
    {
        using var server = new FakeServer();
        server.Backend.Add("a", ServiceState.Started);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(server.Path));
        var fd = socket.SafeHandle.DangerousGetHandle().ToInt32();
        var env = new Dictionary<string, string> { ["DINIT_CS_FD"] = fd.ToString(), ["DINIT_SOCKET_PATH"] = "/nonexistent" };
        var r = Invoke("tinyctl", env, "--use-passed-cfd", "is-started", "a");
        Assert.That((r.ExitCode, r.Stdout, r.Stderr), Is.EqualTo((0, "STARTED\n", "")));
    }

    [Test]
    public void UsePassedControlFdFallsBackWhenTheDescriptorIsNotOpen()
    {
        var env = new Dictionary<string, string> { ["DINIT_CS_FD"] = "987654", ["DINIT_SOCKET_PATH"] = "/nonexistent" };
        var r = Invoke("tinyctl", env, "--use-passed-cfd", "list");
        Assert.That(r.Stderr, Is.EqualTo("tinyctl: connecting to socket: /nonexistent: No such file or directory\n"));
    }
}
