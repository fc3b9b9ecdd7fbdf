using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// /proc/self/mountinfo (or /proc/swaps) read into a buffer allocated once at start-up, so the
/// final shutdown parses it without allocating. Each entry keeps its mount point (octal escapes
/// such as \040 undone, NUL-terminated in place) and its filesystem type, in mount order. A
/// table larger than the buffer is cut at the last whole line: the latest mounts, which matter
/// most, may then be missed — 1 MiB holds several thousand mounts.
/// </summary>
internal sealed unsafe class MountTable
{
    private const int BufferSize = 1 << 20;
    public const int MaxEntries = 8192;

    private readonly byte* _buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(BufferSize);
    private readonly int[] _pathStart = new int[MaxEntries];
    private readonly int[] _pathLength = new int[MaxEntries];
    private readonly int[] _typeStart = new int[MaxEntries];
    private readonly int[] _typeLength = new int[MaxEntries];

    public int Count { get; private set; }

    /// <summary>The mount point of entry <paramref name="i"/> as a C string.</summary>
    public byte* PathPointer(int i) => _buffer + _pathStart[i];

    public ReadOnlySpan<byte> Path(int i) => new(_buffer + _pathStart[i], _pathLength[i]);

    public ReadOnlySpan<byte> Type(int i) => new(_buffer + _typeStart[i], _typeLength[i]);

    /// <summary>Reads /proc/self/mountinfo; false (and empty) when it cannot be read.</summary>
    public bool ReadMounts()
    {
        var length = ReadAll("/proc/self/mountinfo\0"u8);
        if (length < 0) return false;
        ForEachLine(length, mountInfo: true);
        return true;
    }

    /// <summary>Reads /proc/swaps (entries are the swap devices or files; no type); false when unreadable.</summary>
    public bool ReadSwaps()
    {
        var length = ReadAll("/proc/swaps\0"u8);
        if (length < 0) return false;
        ForEachLine(length, mountInfo: false);
        return true;
    }

    private int ReadAll(ReadOnlySpan<byte> path)
    {
        Count = 0;
        int fd;
        fixed (byte* p = path) fd = Libc.open(p, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) return -1;
        var length = 0;
        while (length < BufferSize)
        {
            var n = Libc.read(fd, _buffer + length, BufferSize - length);
            if (n < 0 && Libc.Errno == Libc.EINTR) continue;
            if (n <= 0) break;
            length += (int)n;
        }
        Libc.close(fd);
        return length;
    }

    private void ForEachLine(int length, bool mountInfo)
    {
        var start = 0;
        var first = true;
        while (start < length && Count < MaxEntries)
        {
            var end = start;
            while (end < length && _buffer[end] != (byte)'\n') end++;
            if (end == length) break;      // a cut last line
            var isHeader = first && !mountInfo;     // /proc/swaps starts with a header line
            first = false;
            if (!isHeader && (mountInfo ? ParseMountInfo(start, end) : ParseSwap(start, end))) Count++;
            start = end + 1;
        }
    }

    /// <summary>"ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS".</summary>
    private bool ParseMountInfo(int start, int end)
    {
        var field = start;
        for (var skip = 0; skip < 4; skip++) field = NextField(field, end);
        if (field >= end) return false;
        var pathEnd = FieldEnd(field, end);
        var separator = pathEnd;
        while (separator + 2 < end && !(_buffer[separator] == ' ' && _buffer[separator + 1] == '-' && _buffer[separator + 2] == ' ')) separator++;
        if (separator + 2 >= end) return false;
        var type = separator + 3;
        var typeEnd = FieldEnd(type, end);
        _typeStart[Count] = type;
        _typeLength[Count] = typeEnd - type;
        Store(field, pathEnd);
        return true;
    }

    /// <summary>"FILENAME TYPE SIZE USED PRIORITY".</summary>
    private bool ParseSwap(int start, int end)
    {
        var pathEnd = FieldEnd(start, end);
        if (pathEnd == start) return false;
        _typeStart[Count] = pathEnd;
        _typeLength[Count] = 0;
        Store(start, pathEnd);
        return true;
    }

    private void Store(int start, int end)
    {
        var length = Unescape(start, end);
        _buffer[start + length] = 0;        // overwrites the separator: this line is parsed already
        _pathStart[Count] = start;
        _pathLength[Count] = length;
    }

    /// <summary>Undoes the kernel's \ooo escapes (space, tab, newline, backslash) in place.</summary>
    private int Unescape(int start, int end)
    {
        var write = start;
        for (var read = start; read < end; read++)
        {
            if (_buffer[read] == '\\' && read + 3 < end && IsOctal(read + 1) && IsOctal(read + 2) && IsOctal(read + 3))
            {
                _buffer[write++] = (byte)(((_buffer[read + 1] - '0') << 6) | ((_buffer[read + 2] - '0') << 3) | (_buffer[read + 3] - '0'));
                read += 3;
            }
            else _buffer[write++] = _buffer[read];
        }
        return write - start;
    }

    private bool IsOctal(int i) => _buffer[i] >= '0' && _buffer[i] <= '7';

    private int FieldEnd(int start, int end)
    {
        while (start < end && _buffer[start] != ' ' && _buffer[start] != '\t') start++;
        return start;
    }

    private int NextField(int start, int end)
    {
        start = FieldEnd(start, end);
        while (start < end && (_buffer[start] == ' ' || _buffer[start] == '\t')) start++;
        return start;
    }
}
