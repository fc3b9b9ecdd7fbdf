using System.Text;

namespace Tinyinit.Engine;

/// <summary>
/// Reads the field encoding written by <see cref="SnapshotWriter"/>. A record is read as a
/// loop of <see cref="Next"/> calls; fields the caller does not know are passed to
/// <see cref="Skip"/>, so records from newer writers read as far as this reader understands them.
/// Malformed input throws <see cref="SnapshotFormatException"/>, never reads out of bounds.
/// </summary>
internal ref struct SnapshotReader(ReadOnlySpan<byte> data)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly bool AtEnd => position >= data.Length;
    public readonly int Position => position;

    public int Tag { get; private set; }
    public int Kind { get; private set; }

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > data.Length - position) throw new SnapshotFormatException("record truncated");
        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length) throw new SnapshotFormatException("record truncated");
            byte b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new SnapshotFormatException("varint too long");
    }

    /// <summary>Moves to the next field; false at the end of the record.</summary>
    public bool Next()
    {
        if (AtEnd) return false;
        ulong key = Varint();
        if (key >> 1 > int.MaxValue) throw new SnapshotFormatException("field tag out of range");
        Tag = (int)(key >> 1);
        Kind = (int)(key & 1);
        return true;
    }

    public ulong Unsigned()
    {
        if (Kind != SnapshotWriter.VarintKind) throw new SnapshotFormatException($"field {Tag}: expected a number");
        return Varint();
    }

    public long Signed()
    {
        ulong raw = Unsigned();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int Int32()
    {
        long value = Signed();
        if (value is < int.MinValue or > int.MaxValue) throw new SnapshotFormatException($"field {Tag}: value out of range");
        return (int)value;
    }

    /// <summary>A non-negative count or index.</summary>
    public int Index()
    {
        ulong value = Unsigned();
        if (value > int.MaxValue) throw new SnapshotFormatException($"field {Tag}: value out of range");
        return (int)value;
    }

    public bool Bool() => Unsigned() != 0;
    public TimeSpan Time() => TimeSpan.FromTicks(Signed());

    public ReadOnlySpan<byte> Bytes()
    {
        if (Kind != SnapshotWriter.BytesKind) throw new SnapshotFormatException($"field {Tag}: expected bytes");
        ulong length = Varint();
        if (length > int.MaxValue) throw new SnapshotFormatException("record truncated");
        return Take((int)length);
    }

    public string String()
    {
        try
        {
            return StrictUtf8.GetString(Bytes());
        }
        catch (DecoderFallbackException)
        {
            throw new SnapshotFormatException($"field {Tag}: invalid UTF-8");
        }
    }

    public void Skip()
    {
        if (Kind == SnapshotWriter.VarintKind) Varint();
        else Bytes();
    }
}
