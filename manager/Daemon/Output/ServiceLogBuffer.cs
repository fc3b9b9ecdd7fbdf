namespace Tinyinit.Daemon.Output;

/// <summary>
/// What a <c>log-type = buffer</c> service wrote, at most <see cref="Capacity"/> bytes
/// (log-buffer-size). When it is full the oldest output goes (issue 13 prefers the latest
/// output, which explains a failure, over the reference's "further output is discarded"), and
/// the cut is moved to the next line start so catlog never begins in the middle of a line.
/// Storage grows with the output up to the capacity: a large log-buffer-size costs nothing
/// until the service writes that much.
/// </summary>
internal sealed class ServiceLogBuffer
{
    public static ReadOnlySpan<byte> RestartMarker => "(dinit: note: service restarted)\n"u8;

    private byte[] _data = [];
    private int _length;

    public ServiceLogBuffer(int capacity) => Capacity = Math.Max(0, capacity);

    public int Capacity { get; }
    public int Length => _length;

    public ReadOnlySpan<byte> Contents => _data.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Append(ReadOnlySpan<byte> output)
    {
        if (Capacity == 0 || output.IsEmpty) return;
        if (output.Length >= Capacity)
        {
            // Only its tail can stay: start from a line inside it when there is one.
            _length = 0;
            output = FromLineStart(output, output.Length - Capacity);
        }
        else if (_length + output.Length > Capacity)
        {
            DropOldest(_length + output.Length - Capacity);
        }
        EnsureRoom(_length + output.Length);
        output.CopyTo(_data.AsSpan(_length));
        _length += output.Length;
    }

    /// <summary>semantics.md §9.6: a restart is marked on its own line when there is earlier output (and the marker fits).</summary>
    public void MarkRestart()
    {
        if (_length == 0 || RestartMarker.Length + 1 > Capacity) return;
        if (_data[_length - 1] != (byte)'\n') Append("\n"u8);
        Append(RestartMarker);
    }

    private void DropOldest(int count)
    {
        var kept = FromLineStart(_data.AsSpan(0, _length), count);
        kept.CopyTo(_data);
        _length = kept.Length;
    }

    /// <summary>The bytes after the first <paramref name="cut"/>, moved on past the next newline if the cut split a line.</summary>
    private static ReadOnlySpan<byte> FromLineStart(ReadOnlySpan<byte> bytes, int cut)
    {
        if (cut <= 0) return bytes;
        if (bytes[cut - 1] == (byte)'\n') return bytes[cut..];
        var rest = bytes[cut..];
        var newline = rest.IndexOf((byte)'\n');
        return newline >= 0 ? rest[(newline + 1)..] : rest;
    }

    private void EnsureRoom(int needed)
    {
        if (needed <= _data.Length) return;
        var size = Math.Min(Capacity, Math.Max(needed, Math.Max(256, _data.Length * 2)));
        Array.Resize(ref _data, size);
    }
}
