using Tinyinit.Protocol.Control;
using static Tinyinit.Protocol.Tests.Control.Wire;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>Request builders, reply decoders and status buffers against the spec's byte examples (control-protocol.md §5, §8).</summary>
public class CodecTests
{
    [Test]
    public void RequestBuildersProduceTheSpecExamples()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ToHex(ControlRequests.QueryVersion()), Is.EqualTo("00"));
            Assert.That(ToHex(ControlRequests.LoadService("mpd")), Is.EqualTo("02 03 00 6d 70 64"));
            Assert.That(ToHex(ControlRequests.ServiceStatus(0, 6)), Is.EqualTo("1c 00 00 00 00"));
            Assert.That(ToHex(ControlRequests.StateChange(RequestCode.StartService, 0, 0)), Is.EqualTo("03 00 00 00 00 00"));
            Assert.That(ToHex(ControlRequests.QueryServiceDirectory(0)), Is.EqualTo("16 00 00 00 00 00"));
            Assert.That(ToHex(ControlRequests.StateChange(RequestCode.StopService, ControlRequests.GentleFlag, 0)), Is.EqualTo("04 02 00 00 00 00"));
            Assert.That(ToHex(ControlRequests.QueryServiceName(1)), Is.EqualTo("0f 00 01 00 00 00"));
            Assert.That(ToHex(ControlRequests.StateChange(RequestCode.StopService,
                ControlRequests.GentleFlag | ControlRequests.RestartFlag | ControlRequests.PreAckFlag, 0)), Is.EqualTo("04 86 00 00 00 00"));
            Assert.That(ToHex(ControlRequests.Dependency(RequestCode.EnableServiceV7, DependencyType.WaitsFor, 1, 0)),
                Is.EqualTo("1d 02 01 00 00 00 00 00 00 00"));
            Assert.That(ToHex(ControlRequests.Signal(9, 3)), Is.EqualTo("15 09 00 00 00 03 00 00 00"));
        });
    }

    [Test]
    public void DecodesVersionRecordDependentsAndName()
    {
        Assert.That(ControlReplies.CpVersion(Hex("3a 01 00 07 00")), Is.EqualTo(((ushort)1, (ushort)7)));
        Assert.That(ControlReplies.ServiceRecord(Hex("3b 02 05 00 00 00 02")),
            Is.EqualTo(new ServiceRecord(5, ServiceState.Started, ServiceState.Started)));
        Assert.That(ControlReplies.Dependents(Hex("41 02 00 00 00 00 00 00 00 01 00 00 00 02 00 00 00")), Is.EqualTo(new uint[] { 1, 2 }));
        Assert.That(ControlReplies.ServiceName(Hex("42 00 0c 00 69 6e 74 65 72 6d 65 64 69 61 72 79")), Is.EqualTo("intermediary"));
    }

    [Test]
    public void DecodesTheSpecEnvironmentEventWithItsHeaderOnlyLengthByte()
    {
        var packet = Hex("66 05 00 0d 00 4e 45 57 56 41 52 3d 68 65 6c 6c 6f 00");
        Assert.That(ReplyFraming.Length(packet, 0), Is.EqualTo(packet.Length));
        var e = ControlReplies.EnvironmentEvent(packet);
        Assert.That((e.Name, e.Value, e.IsSet, e.HadValue), Is.EqualTo(("NEWVAR", "hello", true, false)));
    }

    [Test]
    public void EnableV7StatusReplyMatchesTheSpecLayout()
    {
        // §8.4: existed=0, STARTING->STARTED, has pid (0x10), then 4 zero bytes and the mtime.
        var status = new ServiceStatus(ServiceState.Starting, ServiceState.Started, StatusFlags.HasPid, Pid: 0x1234,
            DescriptionSeconds: 1, DescriptionNanoseconds: 2);
        var buffer = new byte[StatusBuffer.SizeV6];
        StatusBuffer.Write(buffer, status, 6);
        Assert.That(ToHex(buffer), Is.EqualTo("01 02 10 00 00 00 34 12 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00"));
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(6)]
    public void StatusBuffersRoundTripPidExitAndExecFailure(int version)
    {
        var samples = new[]
        {
            new ServiceStatus(ServiceState.Started, ServiceState.Started, StatusFlags.HasPid | StatusFlags.ExplicitlyActivated, Pid: 14823),
            new ServiceStatus(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.ExecFailed, ExecStage: ExecStage.DoExec, ExecErrno: 2),
            new ServiceStatus(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Terminated, ExitCode: 2, ExitStatus: 9,
                DescriptionSeconds: 1_700_000_000, DescriptionNanoseconds: 123_456_789),
        };
        foreach (var sample in samples)
        {
            var buffer = new byte[StatusBuffer.SizeOf(version)];
            StatusBuffer.Write(buffer, sample, version);
            var decoded = StatusBuffer.Read(buffer, version);
            Assert.That((decoded.State, decoded.Target, decoded.Flags, decoded.StopReason, decoded.Pid, decoded.ExecErrno),
                Is.EqualTo((sample.State, sample.Target, sample.Flags, sample.StopReason, sample.Pid, sample.ExecErrno)));
            if (version >= 5) Assert.That((decoded.ExitCode, decoded.ExitStatus), Is.EqualTo((sample.ExitCode, sample.ExitStatus)));
            if (version == 6) Assert.That(decoded.DescriptionSeconds, Is.EqualTo(sample.DescriptionSeconds));
            if (version == 1 && sample.ExitStatus != 0) Assert.That(decoded.ExitStatus, Is.EqualTo(-1), "v1 only says 'non-zero'");
        }
    }

    [Test]
    public void ExecStageIsSentOnlyForExecFailureWithoutProcess()
    {
        var buffer = new byte[StatusBuffer.SizeV5];
        StatusBuffer.Write(buffer, new ServiceStatus(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.Failed, ExecStage: 5), 5);
        Assert.That(buffer[4], Is.Zero);
        StatusBuffer.Write(buffer, new ServiceStatus(ServiceState.Stopped, ServiceState.Stopped, StopReason: StopReason.ExecFailed, ExecStage: 5), 5);
        Assert.That(buffer[4], Is.EqualTo(5));
    }

    [Test]
    public void RequestFramingJudgesVariableLengthsOnlyFromFourBytes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RequestFraming.Length(Hex("01 00 00")), Is.EqualTo(RequestFraming.NeedMoreBytes), "bare 3-byte header waits");
            Assert.That(RequestFraming.Length(Hex("01 00 00 00")), Is.EqualTo(RequestFraming.Invalid), "len 0");
            Assert.That(RequestFraming.Length(Hex("01 fe 03 00")), Is.EqualTo(RequestFraming.Invalid), "len 1022");
            Assert.That(RequestFraming.Length(Hex("01 fd 03 00")), Is.EqualTo(1024), "len 1021 accepted");
            Assert.That(RequestFraming.Length(Hex("1e")), Is.EqualTo(RequestFraming.Invalid), "code 30");
            Assert.That(RequestFraming.Length(Hex("32")), Is.EqualTo(RequestFraming.Invalid), "a reply code as request");
            Assert.That(RequestFraming.Length(Hex("15")), Is.EqualTo(9), "SIGNAL");
        });
    }

    [Test]
    public void ServiceInfoWithWrappedLengthByteIsReadAs256Bytes()
    {
        var packet = new byte[2 + StatusBuffer.SizeV5 + 256];
        packet[0] = (byte)ReplyCode.ServiceInfo;
        packet[1] = 0;
        Assert.That(ReplyFraming.Length(packet, StatusBuffer.SizeV5), Is.EqualTo(packet.Length));
    }

    [Test]
    public void LoaderMechanismRoundTripsThroughTheSession()
    {
        var backend = new Fakes.FakeBackend { WorkingDirectory = "/home/u" };
        var session = backend.NewSession();
        session.Receive(ControlRequests.QueryLoadMech());
        var reply = session.Take();
        Assert.That(ReplyFraming.Length(reply, 0), Is.EqualTo(reply.Length));
        var mechanism = ControlReplies.LoaderMechanism(reply)!;
        Assert.That(mechanism.WorkingDirectory, Is.EqualTo("/home/u"));
        Assert.That(mechanism.ServiceDirectories, Is.EqualTo(new[] { "/etc/tinyinit.d", "services" }));
    }
}
