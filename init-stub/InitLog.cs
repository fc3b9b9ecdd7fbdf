using System.Buffers.Text;
using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Messages to standard error with write(2): never Console (it would start runtime machinery in
/// PID 1) and never an allocation. Texts are UTF-8 literals; numbers are formatted on the stack.
/// A line longer than the buffer is cut, a failed write is ignored: logging must not stop init.
/// </summary>
internal static unsafe class InitLog
{
    private const int LineMax = 512;

    public static void Write(ReadOnlySpan<byte> text) => Write(text, [], long.MinValue, []);

    public static void Write(ReadOnlySpan<byte> text, long number, ReadOnlySpan<byte> tail = default) =>
        Write(text, [], number, tail);

    public static void Write(ReadOnlySpan<byte> text, ReadOnlySpan<byte> detail, ReadOnlySpan<byte> tail = default) =>
        Write(text, detail, long.MinValue, tail);

    /// <summary>One line: "tinyinit: " text detail number tail "\n" (number omitted when long.MinValue).</summary>
    private static void Write(ReadOnlySpan<byte> text, ReadOnlySpan<byte> detail, long number, ReadOnlySpan<byte> tail)
    {
        Span<byte> line = stackalloc byte[LineMax];
        var length = 0;
        Append(line, ref length, "tinyinit: "u8);
        Append(line, ref length, text);
        Append(line, ref length, detail);
        if (number != long.MinValue && Utf8Formatter.TryFormat(number, line[length..^1], out var written)) length += written;
        Append(line, ref length, tail);
        line[length++] = (byte)'\n';
        fixed (byte* p = line) Libc.write(2, p, length);
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
