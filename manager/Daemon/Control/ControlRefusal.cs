using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Daemon.Control;

/// <summary>
/// Answers a peer that may not use the socket at all and closes at once, so refused
/// connections never pile up. Whatever it already sent is read and dropped first: the kernel
/// still delivers our reply before it reports the close, and tinyctl prints the reason.
/// </summary>
internal static unsafe class ControlRefusal
{
    public static void SendAndClose(int fd, string reason)
    {
        byte* sink = stackalloc byte[512];
        for (var i = 0; i < 16 && Libc.recv(fd, sink, 512, Libc.MSG_DONTWAIT) > 0; i++) { }
        var packet = ControlAccessRules.NotPermittedPacket(reason);
        fixed (byte* p = packet) Libc.send(fd, p, packet.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
        Libc.close(fd);
    }
}
