using System.Buffers.Binary;

namespace Tinyinit.Protocol.Control;

/// <summary>Bytes queued for a connection, appended at the end and consumed from the front (LP64 little-endian writers).</summary>
internal sealed class OutputBuffer
{
    private byte[] _buffer = new byte[256];
    private int _start;
    private int _end;

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        _start += count;
        if (_start == _end) _start = _end = 0;
    }

    public void Clear() => _start = _end = 0;

    public Span<byte> Reserve(int count)
    {
        EnsureRoom(count);
        var span = _buffer.AsSpan(_end, count);
        _end += count;
        return span;
    }

    public void Byte(byte value) => Reserve(1)[0] = value;
    public void Code(ReplyCode code) => Byte((byte)code);
    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);
    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
    public void UInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    private void EnsureRoom(int count)
    {
        if (_buffer.Length - _end >= count) return;
        var length = Length;
        if (_buffer.Length - length >= count && _start > 0)
        {
            _buffer.AsSpan(_start, length).CopyTo(_buffer);
        }
        else
        {
            var bigger = new byte[Math.Max(_buffer.Length * 2, length + count)];
            _buffer.AsSpan(_start, length).CopyTo(bigger);
            _buffer = bigger;
        }
        _start = 0;
        _end = length;
    }
}
