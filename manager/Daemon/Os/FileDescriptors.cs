using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>Small helpers over raw descriptors; all close-on-exec, none throw.</summary>
internal static unsafe class FileDescriptors
{
    /// <summary>Creates a close-on-exec pipe; returns false (errno in <paramref name="errno"/>) on failure.</summary>
    public static bool TryPipe(out int readFd, out int writeFd, out int errno, bool nonBlockingRead = true)
    {
        int* fds = stackalloc int[2];
        readFd = writeFd = -1;
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0)
        {
            errno = Libc.Errno;
            return false;
        }
        readFd = fds[0];
        writeFd = fds[1];
        if (nonBlockingRead) SetNonBlocking(readFd);
        errno = 0;
        return true;
    }

    public static void SetNonBlocking(int fd)
    {
        const int F_GETFL = 3, F_SETFL = 4;
        var flags = Libc.fcntl(fd, F_GETFL, 0);
        if (flags >= 0) Libc.fcntl(fd, F_SETFL, flags | Libc.O_NONBLOCK);
    }

    public static void Close(ref int fd)
    {
        if (fd >= 0) Libc.close(fd);
        fd = -1;
    }

    /// <summary>Reads and discards what is available; returns bytes read, 0 at EOF, -1 if none now.</summary>
    public static int Drain(int fd)
    {
        byte* buffer = stackalloc byte[512];
        var total = 0;
        while (true)
        {
            var n = Libc.read(fd, buffer, 512);
            if (n > 0) { total += (int)n; continue; }
            if (n == 0) return total > 0 ? total : 0;
            return total > 0 ? total : -1;
        }
    }
}
