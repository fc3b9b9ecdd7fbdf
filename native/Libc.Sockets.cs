using System.Runtime.InteropServices;
using System.Text;

namespace Tinyinit.Native;

/// <summary>Unix-domain sockets and poll.</summary>
public static unsafe partial class Libc
{
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    public const int SOL_SOCKET = 1, SO_PASSCRED = 16, SO_PEERCRED = 17, SO_PEERGROUPS = 59;
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
    public static partial int setsockopt(int fd, int level, int name, void* value, int length);

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

    /// <summary>
    /// An abstract address (Linux: a leading NUL, then the name, no file); the length covers
    /// exactly the name, as other programs (systemd's <c>@name</c>, socat) use it. False when
    /// the name is empty or longer than 107 bytes.
    /// </summary>
    public static bool TryCreateAbstract(string name, out SockAddrUn addr, out int length)
    {
        addr = default;
        addr.Family = Libc.AF_UNIX;
        length = 0;
        var count = Encoding.UTF8.GetByteCount(name);
        if (count == 0 || count >= PathCapacity) return false;
        fixed (byte* p = addr.Path) Encoding.UTF8.GetBytes(name, new Span<byte>(p + 1, count));
        length = 2 + 1 + count;
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

// Descriptor passing (SCM_RIGHTS). The helpers build and parse the control message in stack
// buffers: PID 1 uses them in its steady state, so they never allocate.
public static unsafe partial class Libc
{
    public const int SCM_RIGHTS = 1;
    public const int MSG_CTRUNC = 0x8, MSG_CMSG_CLOEXEC = 0x40000000;

    /// <summary>Most descriptors one received message may carry before the rest are treated as abuse.</summary>
    public const int MaxPassedFds = 8;

    /// <summary>CMSG_ALIGN(sizeof(struct cmsghdr)) on LP64: where a control message's data starts.</summary>
    private const int CmsgHeaderSize = 16;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    private static int CmsgSpace(int dataLength) => CmsgHeaderSize + ((dataLength + 7) & ~7);

    /// <summary>
    /// Sends <paramref name="length"/> bytes as one datagram with <paramref name="passedFd"/>
    /// attached (SCM_RIGHTS), or with no descriptor when it is negative. Returns what sendmsg returned.
    /// </summary>
    public static nint SendWithFd(int socket, void* buffer, int length, int passedFd, int flags)
    {
        var iov = new IoVec { Base = buffer, Length = (nuint)length };
        var control = stackalloc byte[CmsgSpace(sizeof(int))];
        var msg = new MsgHdr { Iov = &iov, IovLength = 1 };
        if (passedFd >= 0)
        {
            new Span<byte>(control, CmsgSpace(sizeof(int))).Clear();
            var header = (CmsgHdr*)control;
            header->Length = (nuint)(CmsgHeaderSize + sizeof(int));
            header->Level = SOL_SOCKET;
            header->Type = SCM_RIGHTS;
            *(int*)(control + CmsgHeaderSize) = passedFd;
            msg.Control = control;
            msg.ControlLength = (nuint)CmsgSpace(sizeof(int));
        }
        return sendmsg(socket, &msg, flags);
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/> and every descriptor attached to it
    /// (up to <see cref="MaxPassedFds"/>; made close-on-exec as they arrive) into
    /// <paramref name="fds"/>. <paramref name="fdCount"/> says how many arrived; when the kernel
    /// had to drop some (MSG_CTRUNC) <paramref name="truncated"/> is set and the caller should
    /// close what did arrive. Returns what recvmsg returned.
    /// </summary>
    public static nint ReceiveWithFds(int socket, void* buffer, int length, int* fds, out int fdCount, out bool truncated, out int messageFlags, int flags)
    {
        const int controlSize = CmsgHeaderSize + MaxPassedFds * sizeof(int);
        var iov = new IoVec { Base = buffer, Length = (nuint)length };
        var control = stackalloc byte[controlSize];
        var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = controlSize };
        fdCount = 0;
        var n = recvmsg(socket, &msg, flags | MSG_CMSG_CLOEXEC);
        messageFlags = n >= 0 ? msg.Flags : 0;
        truncated = n >= 0 && (msg.Flags & MSG_CTRUNC) != 0;
        if (n < 0) return n;
        // Walk the control messages (CMSG_FIRSTHDR / CMSG_NXTHDR); only SCM_RIGHTS carries descriptors.
        var offset = 0;
        var used = (int)msg.ControlLength;
        while (offset + CmsgHeaderSize <= used)
        {
            var header = (CmsgHdr*)(control + offset);
            var cmsgLength = (int)header->Length;
            if (cmsgLength < CmsgHeaderSize || offset + cmsgLength > used) break;
            if (header->Level == SOL_SOCKET && header->Type == SCM_RIGHTS)
                for (var i = 0; i < (cmsgLength - CmsgHeaderSize) / sizeof(int) && fdCount < MaxPassedFds; i++)
                    fds[fdCount++] = *(int*)(control + offset + CmsgHeaderSize + i * sizeof(int));
            offset += (cmsgLength + 7) & ~7;
        }
        return n;
    }
}

// Sender credentials (SCM_CREDENTIALS, with SO_PASSCRED set on the receiving socket): the kernel
// attaches the sender's pid, uid and gid to every datagram, so a message cannot lie about them.
public static unsafe partial class Libc
{
    public const int SCM_CREDENTIALS = 2;

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/> with its sender's credentials
    /// (<paramref name="hasCredentials"/> false when none were attached). Descriptors a sender
    /// attached (SCM_RIGHTS) are closed at once: they are not wanted. Returns what recvmsg
    /// returned; <paramref name="truncated"/> says the datagram was longer than the buffer.
    /// </summary>
    public static nint ReceiveWithCredentials(int socket, void* buffer, int length, out UCred credentials, out bool hasCredentials, out bool truncated, int flags)
    {
        const int controlSize = 128;
        var iov = new IoVec { Base = buffer, Length = (nuint)length };
        var control = stackalloc byte[controlSize];
        var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = controlSize };
        credentials = default;
        hasCredentials = false;
        var n = recvmsg(socket, &msg, flags | MSG_CMSG_CLOEXEC);
        truncated = n >= 0 && (msg.Flags & MSG_TRUNC) != 0;
        if (n < 0) return n;
        var offset = 0;
        var used = (int)msg.ControlLength;
        while (offset + CmsgHeaderSize <= used)
        {
            var header = (CmsgHdr*)(control + offset);
            var cmsgLength = (int)header->Length;
            if (cmsgLength < CmsgHeaderSize || offset + cmsgLength > used) break;
            var data = control + offset + CmsgHeaderSize;
            if (header->Level == SOL_SOCKET && header->Type == SCM_CREDENTIALS && cmsgLength - CmsgHeaderSize >= sizeof(UCred))
            {
                credentials = *(UCred*)data;
                hasCredentials = true;
            }
            else if (header->Level == SOL_SOCKET && header->Type == SCM_RIGHTS)
            {
                for (var i = 0; i < (cmsgLength - CmsgHeaderSize) / sizeof(int); i++) close(*(int*)(data + i * sizeof(int)));
            }
            offset += (cmsgLength + 7) & ~7;
        }
        return n;
    }
}

/// <summary>struct iovec.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct IoVec
{
    public void* Base;
    public nuint Length;
}

/// <summary>struct msghdr (LP64: the same on x86_64 and aarch64).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MsgHdr
{
    public void* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary>struct cmsghdr (LP64); its data follows at offset 16.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct CmsgHdr
{
    public nuint Length;
    public int Level;
    public int Type;
}
