using System.Buffers;
using System.Text;

namespace Tinyinit.Engine;

/// <summary>
/// Writes the field encoding of engine snapshots (Snapshot.md): each field is a key
/// (<c>tag &lt;&lt; 1 | kind</c>) followed by a varint, or by a length and that many bytes.
/// The length prefix is what lets an older reader skip a field it does not know.
/// </summary>
internal sealed class SnapshotWriter(IBufferWriter<byte> output)
{
    public const int VarintKind = 0, BytesKind = 1;

    public void Raw(ReadOnlySpan<byte> bytes) => output.Write(bytes);

    public void Varint(ulong value)
    {
        var span = output.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }

    /// <summary>Zero values are left out: an absent field reads as zero, which keeps records of
    /// 100,000 mostly idle services small.</summary>
    public void Field(int tag, ulong value)
    {
        if (value == 0) return;
        Varint((ulong)tag << 1 | VarintKind);
        Varint(value);
    }

    public void Field(int tag, long value) => Field(tag, ZigZag(value));
    public void Field(int tag, int value) => Field(tag, ZigZag(value));
    public void Field(int tag, bool value) => Field(tag, value ? 1UL : 0UL);
    public void Field(int tag, TimeSpan value) => Field(tag, ZigZag(value.Ticks));

    /// <summary>A varint that is written even when zero (repeated values, where presence counts).</summary>
    public void Always(int tag, ulong value)
    {
        Varint((ulong)tag << 1 | VarintKind);
        Varint(value);
    }

    public void Field(int tag, ReadOnlySpan<byte> bytes)
    {
        Varint((ulong)tag << 1 | BytesKind);
        Varint((ulong)bytes.Length);
        output.Write(bytes);
    }

    public void Field(int tag, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        int length = Encoding.UTF8.GetByteCount(text);
        Varint((ulong)tag << 1 | BytesKind);
        Varint((ulong)length);
        Encoding.UTF8.GetBytes(text, output.GetSpan(length));
        output.Advance(length);
    }

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
