using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// <c>options = pass-cs-fd</c> (semantics.md §9.6): a connected pair of stream sockets per
/// launch; the manager's end becomes a control connection, the child's end is passed to it.
/// </summary>
internal static unsafe class ControlSocketPair
{
    /// <summary>Both ends close-on-exec; the manager's end non-blocking. False with errno on failure.</summary>
    public static bool TryCreate(out int managerEnd, out int childEnd, out int errno)
    {
        int* fds = stackalloc int[2];
        managerEnd = childEnd = -1;
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) < 0)
        {
            errno = Libc.Errno;
            return false;
        }
        managerEnd = fds[0];
        childEnd = fds[1];
        FileDescriptors.SetNonBlocking(managerEnd);
        errno = 0;
        return true;
    }
}
