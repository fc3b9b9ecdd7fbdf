using Tinyinit.Protocol.Control;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>A hostile server: whatever bytes arrive, client-side framing and decoding either reject them or decode without throwing.</summary>
public class ClientDecodingFuzzTests
{
    [Test]
    public void RandomRepliesAreFramedAndDecodedWithoutExceptions()
    {
        var random = new Random(7);
        var decoded = 0;
        byte[] codes = [50, 58, 59, 62, 64, 65, 66, 70, 73, 77, 78, 100, 101, 102, 120];
        for (var trial = 0; trial < 20_000; trial++)
        {
            var packet = new byte[random.Next(1, 80)];
            random.NextBytes(packet);
            packet[0] = codes[random.Next(codes.Length)];
            if (random.Next(2) == 0 && packet.Length > 9) Array.Clear(packet, 2, Math.Min(7, packet.Length - 2)); // small lengths, so many packets are complete
            var statusVersion = random.Next(3) switch { 0 => 1, 1 => 5, _ => 6 };
            var length = ReplyFraming.Length(packet, StatusBuffer.SizeOf(statusVersion));
            if (length <= 0 || length > packet.Length) continue;
            var complete = packet.AsSpan(0, length).ToArray();
            Assert.DoesNotThrow(() => Decode(complete, statusVersion), $"trial {trial}: {Convert.ToHexString(complete)}");
            decoded++;
        }
        Assert.That(decoded, Is.GreaterThan(2000), "the fuzz must reach the decoders");
    }

    private static void Decode(byte[] p, int statusVersion)
    {
        switch (p[0])
        {
            case 58: ControlReplies.CpVersion(p); break;
            case 59: ControlReplies.ServiceRecord(p); break;
            case 62: ControlReplies.ServiceInfo(p, statusVersion); break;
            case 64: ControlReplies.LoaderMechanism(p); break;
            case 65: ControlReplies.Dependents(p); break;
            case 66: ControlReplies.ServiceName(p); break;
            case 70: ControlReplies.ServiceStatus(p, statusVersion); break;
            case 73: ControlReplies.ServiceLog(p); break;
            case 77: ControlReplies.ServiceDirectory(p); break;
            case 78: ControlReplies.AllEnvironment(p); break;
            case 100 or 101: ControlReplies.ServiceEvent(p); break;
            case 102: ControlReplies.EnvironmentEvent(p); break;
        }
    }
}
