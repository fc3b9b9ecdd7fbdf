using System.Runtime.InteropServices;

namespace Tinyinit.Daemon.Interop;

internal static unsafe partial class Libc
{
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_SEQPACKET = 5, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int fd, SockAddrUn* addr, int len);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int connect(int fd, SockAddrUn* addr, int len);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int accept4(int fd, void* addr, void* len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint send(int fd, byte* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recv(int fd, byte* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* fds);
}

/// <summary>struct sockaddr_un: family + 108-byte path.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockAddrUn
{
    public ushort Family;
    public fixed byte Path[108];

    /// <summary>Fills the address; false when the path does not fit (108 bytes with NUL).</summary>
    public static bool TryCreate(string path, out SockAddrUn addr, out int length)
    {
        addr = default;
        addr.Family = Libc.AF_UNIX;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        length = 0;
        if (bytes.Length == 0 || bytes.Length >= 108) return false;
        for (var i = 0; i < bytes.Length; i++) addr.Path[i] = bytes[i];
        length = 2 + bytes.Length + 1;
        return true;
    }
}
