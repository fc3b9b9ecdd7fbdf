using System.Runtime.InteropServices;
using System.Text;

namespace Tinyinit.Native;

/// <summary>Unix-domain sockets and poll.</summary>
public static unsafe partial class Libc
{
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_SEQPACKET = 5, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    public const int SOL_SOCKET = 1, SO_PEERCRED = 17, SO_PEERGROUPS = 59;
    public const short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int fd, SockAddrUn* addr, int len);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int connect(int fd, SockAddrUn* addr, int len);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int accept4(int fd, void* addr, void* len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, void* value, int* length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint send(int fd, void* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recv(int fd, void* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);
}

/// <summary>struct sockaddr_un: family + 108-byte path.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct SockAddrUn
{
    public const int PathCapacity = 108;
    public ushort Family;
    public fixed byte Path[PathCapacity];

    /// <summary>Fills the address; false when the path is empty or does not fit (108 bytes with NUL).</summary>
    public static bool TryCreate(string path, out SockAddrUn addr, out int length)
    {
        addr = default;
        addr.Family = Libc.AF_UNIX;
        length = 0;
        var count = Encoding.UTF8.GetByteCount(path);
        if (count == 0 || count >= PathCapacity || path.Contains('\0')) return false;
        fixed (byte* p = addr.Path) Encoding.UTF8.GetBytes(path, new Span<byte>(p, count));
        length = 2 + count + 1;
        return true;
    }
}

/// <summary>struct ucred (SO_PEERCRED): the peer's credentials at connect time.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct UCred
{
    public int Pid;
    public uint Uid, Gid;
}

[StructLayout(LayoutKind.Sequential)]
public struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}
