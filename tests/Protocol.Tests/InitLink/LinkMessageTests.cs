using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Protocol.Tests.InitLink;

public class LinkMessageTests
{
    private static byte[] Encode(LinkMessage message)
    {
        var bytes = new byte[LinkMessage.Size];
        message.Write(bytes);
        return bytes;
    }

    private static LinkMessage RoundTrip(LinkMessage message)
    {
        Assert.That(LinkMessage.TryRead(Encode(message), out var decoded), Is.True, message.ToString());
        return decoded;
    }

    [Test]
    public void HelloRoundTrips() => Assert.That(RoundTrip(LinkMessage.Hello()).Kind, Is.EqualTo(LinkMessageKind.Hello));

    [TestCase(1, 0)]
    [TestCase(4242, 7 << 8)]           // exited with status 7
    [TestCase(int.MaxValue, 9)]        // killed by SIGKILL
    [TestCase(17, 0x137f)]             // stopped by SIGSTOP
    [TestCase(3, -1)]
    public void ChildExitedRoundTripsPidAndRawStatus(int pid, int status)
    {
        var decoded = RoundTrip(LinkMessage.ChildExited(pid, status));
        Assert.That(decoded.Kind, Is.EqualTo(LinkMessageKind.ChildExited));
        Assert.That(decoded.Pid, Is.EqualTo(pid));
        Assert.That(decoded.Status, Is.EqualTo(status));
    }

    [TestCase(1)]
    [TestCase(15)]
    [TestCase(30)]
    [TestCase(64)]
    public void SignalRoundTrips(int signo)
    {
        var decoded = RoundTrip(LinkMessage.Signal(signo));
        Assert.That(decoded.Kind, Is.EqualTo(LinkMessageKind.Signal));
        Assert.That(decoded.SignalNumber, Is.EqualTo(signo));
    }

    [Test]
    public void EveryShutdownTypeRoundTrips()
    {
        foreach (var type in new[] { ShutdownType.Halt, ShutdownType.PowerOff, ShutdownType.Reboot, ShutdownType.SoftReboot, ShutdownType.Kexec })
        {
            var decoded = RoundTrip(LinkMessage.Shutdown(type));
            Assert.That(decoded.Kind, Is.EqualTo(LinkMessageKind.Shutdown));
            Assert.That(decoded.ShutdownType, Is.EqualTo(type));
        }
    }

    [Test]
    public void NoneAndRemainNeverReachInit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.Shutdown(ShutdownType.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.Shutdown(ShutdownType.Remain));
    }

    [Test]
    public void EventsLostRoundTrips() => Assert.That(RoundTrip(LinkMessage.EventsLost(12)).LostCount, Is.EqualTo(12));

    [Test]
    public void ShutdownTypesMatchTheControlProtocolNumbers()
    {
        Assert.That((int)ShutdownType.Halt, Is.EqualTo(2));
        Assert.That((int)ShutdownType.PowerOff, Is.EqualTo(3));
        Assert.That((int)ShutdownType.Reboot, Is.EqualTo(4));
        Assert.That((int)ShutdownType.SoftReboot, Is.EqualTo(5));
        Assert.That((int)ShutdownType.Kexec, Is.EqualTo(6));
    }

    [Test]
    public void WireLayoutIsLittleEndianKindVersionArgumentStatus()
    {
        var bytes = Encode(LinkMessage.ChildExited(0x01020304, 0x0a0b));
        Assert.That(bytes, Is.EqualTo(new byte[] { 2, 1, 0, 0, 4, 3, 2, 1, 0x0b, 0x0a, 0, 0, 0, 0, 0, 0 }));
    }

    [Test]
    public void AccessorsOfAnotherKindReadZero()
    {
        var signal = LinkMessage.Signal(15);
        Assert.That(signal.Pid, Is.Zero);
        Assert.That(signal.LostCount, Is.Zero);
        Assert.That((int)signal.ShutdownType, Is.Zero);
    }

    [TestCase(0)]
    [TestCase(15)]
    [TestCase(17)]
    [TestCase(1024)]
    public void WrongLengthIsRejected(int length)
    {
        var bytes = new byte[length];
        if (length >= LinkMessage.Size) LinkMessage.Hello().Write(bytes);
        Assert.That(LinkMessage.TryRead(bytes, out var message), Is.False);
        Assert.That(message.Kind, Is.EqualTo((LinkMessageKind)0));
    }

    [TestCase(0)]
    [TestCase(6)]
    [TestCase(255)]
    public void UnknownKindIsRejected(int kind)
    {
        var bytes = Encode(LinkMessage.Hello());
        bytes[0] = (byte)kind;
        Assert.That(LinkMessage.TryRead(bytes, out _), Is.False);
    }

    [TestCase(0)]
    [TestCase(2)]
    public void OtherVersionIsRejected(int version)
    {
        var bytes = Encode(LinkMessage.Signal(15));
        bytes[1] = (byte)version;
        Assert.That(LinkMessage.TryRead(bytes, out _), Is.False);
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(12)]
    [TestCase(15)]
    public void NonZeroReservedByteIsRejected(int offset)
    {
        var bytes = Encode(LinkMessage.ChildExited(5, 0));
        bytes[offset] = 1;
        Assert.That(LinkMessage.TryRead(bytes, out _), Is.False);
    }

    [TestCase(LinkMessageKind.Hello, 1, 0)]
    [TestCase(LinkMessageKind.Hello, 0, 1)]
    [TestCase(LinkMessageKind.ChildExited, 0, 0)]
    [TestCase(LinkMessageKind.ChildExited, -5, 0)]
    [TestCase(LinkMessageKind.Signal, 0, 0)]
    [TestCase(LinkMessageKind.Signal, 65, 0)]
    [TestCase(LinkMessageKind.Signal, 15, 1)]
    [TestCase(LinkMessageKind.Shutdown, 0, 0)]
    [TestCase(LinkMessageKind.Shutdown, 1, 0)]
    [TestCase(LinkMessageKind.Shutdown, 7, 0)]
    [TestCase(LinkMessageKind.EventsLost, 0, 0)]
    public void ArgumentOutOfRangeIsRejected(LinkMessageKind kind, int argument, int status)
    {
        var bytes = new byte[LinkMessage.Size];
        bytes[0] = (byte)kind;
        bytes[1] = LinkMessage.Version;
        BitConverter.TryWriteBytes(bytes.AsSpan(4), argument);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), status);
        Assert.That(LinkMessage.TryRead(bytes, out _), Is.False);
    }

    [TestCase("")]
    [TestCase("/sbin/tinyinit.new")]
    public void ReexecInitCarriesItsPathInTheSameDatagram(string path)
    {
        var pathBytes = System.Text.Encoding.UTF8.GetBytes(path);
        var datagram = new byte[LinkMessage.Size + pathBytes.Length];
        LinkMessage.ReexecInit(pathBytes.Length).Write(datagram);
        pathBytes.CopyTo(datagram, LinkMessage.Size);
        Assert.That(LinkMessage.TryRead(datagram, out var message), Is.True);
        Assert.That(message.Kind, Is.EqualTo(LinkMessageKind.ReexecInit));
        Assert.That(message.PathLength, Is.EqualTo(pathBytes.Length));
    }

    [TestCase(5, 4)]        // path shorter than announced
    [TestCase(5, 6)]        // longer
    [TestCase(-1, 0)]
    [TestCase(LinkMessage.MaxPathLength + 1, LinkMessage.MaxPathLength + 1)]
    public void AReexecInitWhosePathDoesNotMatchItsLengthIsRejected(int announced, int actual)
    {
        var datagram = new byte[LinkMessage.Size + actual];
        datagram[0] = (byte)LinkMessageKind.ReexecInit;
        datagram[1] = LinkMessage.Version;
        BitConverter.TryWriteBytes(datagram.AsSpan(4), announced);
        Assert.That(LinkMessage.TryRead(datagram, out _), Is.False);
    }

    [Test]
    public void FactoriesRefuseValuesThatCouldNotBeDecoded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.ChildExited(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.Signal(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.Signal(65));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.Shutdown((ShutdownType)1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.EventsLost(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkMessage.ReexecInit(LinkMessage.MaxPathLength + 1));
    }

    [Test]
    public void WriteIntoAShortBufferThrows() =>
        Assert.Throws<ArgumentException>(() => LinkMessage.Hello().Write(new byte[LinkMessage.Size - 1]));

    [Test]
    public void EncodeAndDecodeDoNotAllocate()
    {
        Span<byte> buffer = stackalloc byte[LinkMessage.Size];
        var message = LinkMessage.ChildExited(99, 256);
        message.Write(buffer);
        LinkMessage.TryRead(buffer, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            LinkMessage.ChildExited(i + 1, i).Write(buffer);
            LinkMessage.TryRead(buffer, out message);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(message.Pid, Is.EqualTo(1000));
    }
}
