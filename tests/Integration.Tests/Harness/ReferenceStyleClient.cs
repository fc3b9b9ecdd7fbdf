using System.Buffers.Binary;
using System.Net.Sockets;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Integration.Tests.Harness;

/// <summary>
/// A control client that waits the way the reference dinitctl does (control-protocol.md,
/// "Process launches complete asynchronously"; ctl.md §3.3): while it waits for a reply it
/// skips info packets, and after the ACK of a START it waits for a STARTED or FAILEDSTART event
/// of its service. An event that came before the ACK is skipped, so a server that raises the
/// launch outcome inside the command leaves this client waiting — here until the timeout, which
/// fails the test instead of hanging it.
/// </summary>
public sealed class ReferenceStyleClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly List<byte> _input = [];
    private readonly byte[] _chunk = new byte[4096];

    public ReferenceStyleClient(string socketPath, TimeSpan timeout)
    {
        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        _socket.Connect(new UnixDomainSocketEndPoint(socketPath));
    }

    /// <summary>Everything received, in order, as packet type names (events with their code).</summary>
    public List<string> Received { get; } = [];

    /// <summary>QUERYVERSION, LOADSERVICE; the service's handle.</summary>
    public uint Load(string name)
    {
        Send(ControlRequests.QueryVersion());
        Expect(ReplyCode.CpVersion);
        Send(ControlRequests.LoadService(name));
        var record = Expect(ReplyCode.ServiceRecord);
        return BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(2));
    }

    /// <summary>STARTSERVICE: the reply code, skipping info packets that come first.</summary>
    public ReplyCode Start(uint handle)
    {
        Send(ControlRequests.StateChange(RequestCode.StartService, 0, handle));
        return (ReplyCode)NextReply()[0];
    }

    /// <summary>After an ACK: the next STARTED or FAILEDSTART event of <paramref name="handle"/>.</summary>
    public ServiceEventCode WaitForStartOutcome(uint handle)
    {
        while (true)
        {
            var packet = NextPacket();
            if (!ReplyFraming.IsInfo(packet[0]) || packet[0] is not ((byte)InfoCode.ServiceEvent or (byte)InfoCode.ServiceEvent5)) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(packet.AsSpan(2)) != handle) continue;
            var code = (ServiceEventCode)packet[6];
            if (code is ServiceEventCode.Started or ServiceEventCode.FailedStart) return code;
        }
    }

    private byte[] Expect(ReplyCode code)
    {
        var reply = NextReply();
        Assert.That((ReplyCode)reply[0], Is.EqualTo(code));
        return reply;
    }

    private byte[] NextReply()
    {
        while (true)
        {
            var packet = NextPacket();
            if (!ReplyFraming.IsInfo(packet[0])) return packet;
        }
    }

    private byte[] NextPacket()
    {
        while (true)
        {
            int length = ReplyFraming.Length(_input.ToArray(), 0);
            Assert.That(length, Is.Not.EqualTo(ReplyFraming.Invalid), "unframeable packet");
            if (length != ReplyFraming.NeedMoreBytes && _input.Count >= length)
            {
                var packet = _input.GetRange(0, length).ToArray();
                _input.RemoveRange(0, length);
                Received.Add(Describe(packet));
                return packet;
            }
            int n;
            try
            {
                n = _socket.Receive(_chunk);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                Assert.Fail("the client would wait for ever; received: " + string.Join(", ", Received));
                throw;
            }
            Assert.That(n, Is.GreaterThan(0), "connection closed; received: " + string.Join(", ", Received));
            _input.AddRange(_chunk.AsSpan(0, n).ToArray());
        }
    }

    private static string Describe(byte[] packet) => packet[0] switch
    {
        (byte)InfoCode.ServiceEvent or (byte)InfoCode.ServiceEvent5 => $"{(InfoCode)packet[0]} {(ServiceEventCode)packet[6]}",
        >= 100 => ((InfoCode)packet[0]).ToString(),
        _ => ((ReplyCode)packet[0]).ToString(),
    };

    private void Send(byte[] request) => _socket.Send(request);

    public void Dispose() => _socket.Dispose();
}
