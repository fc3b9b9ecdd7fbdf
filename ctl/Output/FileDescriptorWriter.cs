using System.Buffers;
using System.Text;

namespace Tinyinit.Ctl.Output;

/// <summary>
/// Unbuffered UTF-8 text writer over an inherited descriptor: what tinyctl uses instead of
/// System.Console, whose initialisation (descriptor dups, terminal probing, a signal-handling
/// thread) cost more than a whole short command (issue 8). Each Write is one write(2), so stdout
/// and stderr interleave exactly as they did through Console's auto-flushing writers.
/// </summary>
internal sealed class FileDescriptorWriter(int fd) : TextWriter
{
    private const int StackLimit = 1024;

    // Keeps a high surrogate that ends one Write for the next, as StreamWriter's encoder does.
    private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));
    public override void Write(string? value) => Write(value.AsSpan());
    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> chars)
    {
        var max = Encoding.UTF8.GetMaxByteCount(chars.Length);
        byte[]? rented = max > StackLimit ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> bytes = rented ?? stackalloc byte[StackLimit];
            var count = _encoder.GetBytes(chars, bytes, flush: false);
            FileDescriptorStream.WriteAll(fd, bytes[..count]);
        }
        finally
        {
            if (rented != null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
