using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>epoll. struct epoll_event differs by architecture: see <see cref="EpollEventX64"/>.</summary>
public static unsafe partial class Libc
{
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public const uint EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDHUP = 0x2000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Lib, SetLastError = true, EntryPoint = "epoll_ctl")]
    private static partial int epoll_ctl_raw(int epfd, int op, int fd, void* ev);

    [LibraryImport(Lib, SetLastError = true, EntryPoint = "epoll_wait")]
    private static partial int epoll_wait_raw(int epfd, void* events, int maxEvents, int timeoutMs);

    /// <summary>epoll_ctl with the event laid out for the running architecture.</summary>
    public static int epoll_ctl(int epfd, int op, int fd, uint events, ulong data)
    {
        if (Architectures.IsX64)
        {
            var packed = new EpollEventX64 { Events = events, Data = data };
            return epoll_ctl_raw(epfd, op, fd, &packed);
        }
        var natural = new EpollEventNatural { Events = events, Data = data };
        return epoll_ctl_raw(epfd, op, fd, &natural);
    }

    /// <summary>epoll_wait into <paramref name="buffer"/>; read the results with <see cref="EpollEventBuffer.Get"/>.</summary>
    public static int epoll_wait(int epfd, EpollEventBuffer buffer, int timeoutMs) =>
        epoll_wait_raw(epfd, buffer.Pointer, buffer.Capacity, timeoutMs);
}

/// <summary>struct epoll_event on x86_64: packed, 12 bytes (the kernel's __EPOLL_PACKED).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct EpollEventX64
{
    public uint Events;
    public ulong Data;
}

/// <summary>struct epoll_event on aarch64 and every other architecture: naturally aligned, 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct EpollEventNatural
{
    public uint Events;
    public ulong Data;
}

/// <summary>A fixed native array of epoll events for <see cref="Libc.epoll_wait(int, EpollEventBuffer, int)"/>.</summary>
public sealed unsafe class EpollEventBuffer : IDisposable
{
    public int Capacity { get; }
    internal void* Pointer { get; private set; }

    public EpollEventBuffer(int capacity)
    {
        Capacity = capacity;
        Pointer = NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(EpollEventNatural));
    }

    public void Get(int index, out uint events, out ulong data)
    {
        if (Architectures.IsX64)
        {
            var e = ((EpollEventX64*)Pointer)[index];
            (events, data) = (e.Events, e.Data);
        }
        else
        {
            var e = ((EpollEventNatural*)Pointer)[index];
            (events, data) = (e.Events, e.Data);
        }
    }

    public void Dispose()
    {
        NativeMemory.Free(Pointer);
        Pointer = null;
    }
}
