using System.Text;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Reads a small configuration file the manager trusts (its <c>-e</c> environment file) without
/// letting the file decide how much memory or time that takes: regular files only (a FIFO or a
/// device would block or never end), at most a fixed size. Failures are IOExceptions with a
/// message for the log (a missing file is a FileNotFoundException, as File.ReadAllText gives).
/// </summary>
internal static unsafe class BoundedFile
{
    public const int EnvironmentFileLimit = 1 << 20;

    public static string ReadText(string path, int limit)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0);
        if (fd < 0)
        {
            var errno = Libc.Errno;
            if (errno == Libc.ENOENT) throw new FileNotFoundException(Libc.StrError(errno), path);
            throw new IOException(Libc.StrError(errno));
        }
        try
        {
            if (Libc.fstatx(fd, out var stat) != 0) throw new IOException(Libc.StrError(Libc.Errno));
            if ((stat.Mode & Libc.S_IFMT) != Libc.S_IFREG) throw new IOException("not a regular file");
            if (stat.Size > (ulong)limit) throw new IOException($"{stat.Size} bytes, more than the limit of {limit} bytes");
            var buffer = new byte[limit + 1];
            var length = 0;
            while (length <= limit)
            {
                nint n;
                fixed (byte* p = &buffer[length]) n = Libc.read(fd, p, buffer.Length - length);
                if (n == 0) break;
                if (n < 0)
                {
                    if (Libc.Errno == Libc.EINTR) continue;
                    throw new IOException(Libc.StrError(Libc.Errno));
                }
                length += (int)n;
            }
            if (length > limit) throw new IOException($"more than the limit of {limit} bytes");
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
