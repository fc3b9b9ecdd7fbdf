namespace Tinyinit.Native;

/// <summary>Unix-domain datagram sockets (the manager's syslog client, <c>/dev/log</c>).</summary>
public static partial class Libc
{
    public const int ENOTCONN = 107, ENOBUFS = 105;
}
