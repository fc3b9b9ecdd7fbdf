using System.Buffers.Text;
using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Messages to standard error (a non-blocking copy of it once PID 1 runs) with write(2): never Console (it would start runtime machinery in
/// PID 1) and never an allocation. Texts are UTF-8 literals; numbers are formatted on the stack.
/// A line longer than the buffer is cut, a failed write is ignored: logging must not stop init.
/// </summary>
internal static unsafe class InitLog
{
    private const int LineMax = 512;

    private static int _fd = 2;

    /// <summary>
    /// From now on log through a private non-blocking descriptor for standard error: reopened
    /// through /proc/self/fd/2, so it has its own file status flags (O_NONBLOCK on fd 2 itself
    /// would reach the manager and services that share it). A stuck console then costs lines,
    /// never PID 1's progress. Stays on fd 2 for a regular file or when it cannot be reopened
    /// (a socket, no /proc).
    /// </summary>
    public static void UseNonBlockingDescriptor()
    {
        // A regular file never blocks, and a second description of it would write at its own offset.
        if (Libc.fstatx(2, out var stat) != 0 || (stat.Mode & Libc.S_IFMT) == Libc.S_IFREG) return;
        int fd;
        fixed (byte* p = "/proc/self/fd/2\0"u8)
            fd = Libc.open(p, Libc.O_WRONLY | Libc.O_APPEND | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (fd < 0) return;
        var high = Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, ManagerLauncher.FirstPrivateFd);
        if (high >= 0)
        {
            Libc.close(fd);
            fd = high;
        }
        _fd = fd;
    }

    public static void Write(ReadOnlySpan<byte> text) => Write(text, [], long.MinValue, []);

    /// <summary>"text number tail detail", e.g. an errno value followed by the path it concerns.</summary>
    public static void Write(ReadOnlySpan<byte> text, long number, ReadOnlySpan<byte> tail, ReadOnlySpan<byte> after) =>
        Write(text, [], number, tail, after);

    public static void Write(ReadOnlySpan<byte> text, long number, ReadOnlySpan<byte> tail = default) =>
        Write(text, [], number, tail);

    public static void Write(ReadOnlySpan<byte> text, ReadOnlySpan<byte> detail, ReadOnlySpan<byte> tail = default) =>
        Write(text, detail, long.MinValue, tail);

    /// <summary>One line: "tinyinit: " text detail number tail "\n" (number omitted when long.MinValue).</summary>
    private static void Write(ReadOnlySpan<byte> text, ReadOnlySpan<byte> detail, long number, ReadOnlySpan<byte> tail,
        ReadOnlySpan<byte> after = default)
    {
        Span<byte> line = stackalloc byte[LineMax];
        var length = 0;
        Append(line, ref length, "tinyinit: "u8);
        Append(line, ref length, text);
        Append(line, ref length, detail);
        if (number != long.MinValue && Utf8Formatter.TryFormat(number, line[length..^1], out var written)) length += written;
        Append(line, ref length, tail);
        Append(line, ref length, after);
        line[length++] = (byte)'\n';
        fixed (byte* p = line) Libc.write(_fd, p, length);
    }

    /// <summary>Plain text to a descriptor (help and version output).</summary>
    public static void Print(int fd, ReadOnlySpan<byte> text)
    {
        fixed (byte* p = text) Libc.write(fd, p, text.Length);
    }

    private static void Append(Span<byte> line, ref int length, ReadOnlySpan<byte> part)
    {
        var room = line.Length - 1 - length;          // keep one byte for the newline
        var take = Math.Min(room, part.Length);
        part[..take].CopyTo(line[length..]);
        length += take;
    }
}
