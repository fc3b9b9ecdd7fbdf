using System.Runtime.InteropServices;
using Tinyinit.Native;

namespace Tinyinit.Daemon.HandOver;

/// <summary>
/// The descriptor and exec mechanics of a hand-over: a memfd for the record, close-on-exec
/// flags toggled on what must survive, and execv. Nothing here throws: a failed hand-over is
/// reported and the manager carries on.
/// </summary>
internal static unsafe class ExecInPlace
{
    /// <summary>A memfd holding <paramref name="bytes"/>, inherited across exec; -1 (errno set) on failure.</summary>
    public static int WriteMemfd(byte[] bytes, out int errno)
    {
        errno = 0;
        int fd;
        fixed (byte* name = "tinyinitd-handover\0"u8) fd = Libc.memfd_create(name, 0);
        if (fd < 0)
        {
            errno = Libc.Errno;
            return -1;
        }
        fixed (byte* p = bytes)
        {
            if (Libc.pwrite(fd, p, bytes.Length, 0) != bytes.Length)
            {
                errno = Libc.Errno;
                Libc.close(fd);
                return -1;
            }
        }
        return fd;
    }

    /// <summary>Reads the whole record and closes the memfd (services must not inherit it).</summary>
    public static byte[]? ReadMemfd(int fd)
    {
        using var stream = new MemoryStream();
        var buffer = new byte[64 * 1024];
        long offset = 0;
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = Libc.pread(fd, p, buffer.Length, offset);
            if (n < 0 && Libc.Errno == Libc.EINTR) continue;
            if (n < 0)
            {
                Libc.close(fd);
                return null;
            }
            if (n == 0) break;
            stream.Write(buffer, 0, (int)n);
            offset += n;
        }
        Libc.close(fd);
        return stream.ToArray();
    }

    public static void SetCloseOnExec(int fd, bool value)
    {
        if (fd >= 0) Libc.fcntl(fd, Libc.F_SETFD, value ? Libc.FD_CLOEXEC : 0);
    }

    /// <summary>Replaces the process image; returns only on failure, with the errno.</summary>
    public static int Exec(string path, IReadOnlyList<string> argv)
    {
        // Freed again when exec fails: a refused hand-over must not leak on every retry.
        var allocations = new List<nint>();
        try
        {
            var vector = (byte**)NativeMemory.AllocZeroed((nuint)(argv.Count + 1), (nuint)sizeof(byte*));
            allocations.Add((nint)vector);
            for (var i = 0; i < argv.Count; i++)
            {
                vector[i] = Utf8z(argv[i]);
                allocations.Add((nint)vector[i]);
            }
            var file = Utf8z(path);
            allocations.Add((nint)file);
            Libc.execv(file, vector);
            return Libc.Errno;
        }
        finally
        {
            foreach (var p in allocations) NativeMemory.Free((void*)p);
        }
    }

    private static byte* Utf8z(string s)
    {
        var bytes = NativeStrings.NullTerminated(s);
        var p = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        return p;
    }
}
