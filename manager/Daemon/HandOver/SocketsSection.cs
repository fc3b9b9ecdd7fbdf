using System.Text;

namespace Tinyinit.Daemon.HandOver;

/// <summary>
/// The hand-over record's "sockets" section (protocol/InitLink/README.md): each service's open
/// activation sockets, so a successor manager lends the same listening sockets to the same
/// services. Payload: i32 service count; per service its name, i32 socket count, and per socket
/// its path (as configured), i32 descriptor number (-1 in the crash record) and i32 park key
/// (-1: not parked). Strings as .NET BinaryWriter writes them (7-bit length, UTF-8).
/// </summary>
internal static class SocketsSection
{
    public const string Name = "sockets";

    public sealed record Socket(string Path, int Fd, int ParkKey);

    public static byte[] Encode(IReadOnlyList<(string Service, IReadOnlyList<Socket> Sockets)> services)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(services.Count);
            foreach (var (service, sockets) in services)
            {
                w.Write(service);
                w.Write(sockets.Count);
                foreach (var socket in sockets)
                {
                    w.Write(socket.Path);
                    w.Write(socket.Fd);
                    w.Write(socket.ParkKey);
                }
            }
        }
        return stream.ToArray();
    }

    /// <returns>The services' sockets, or null when the payload cannot be read.</returns>
    public static List<(string Service, List<Socket> Sockets)>? Decode(byte[] payload)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            var services = new List<(string, List<Socket>)>();
            for (var n = r.ReadInt32(); n > 0; n--)
            {
                var service = r.ReadString();
                var sockets = new List<Socket>();
                for (var m = r.ReadInt32(); m > 0; m--) sockets.Add(new Socket(r.ReadString(), r.ReadInt32(), r.ReadInt32()));
                services.Add((service, sockets));
            }
            return services;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
    }
}
