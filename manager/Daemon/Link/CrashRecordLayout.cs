using System.Buffers.Binary;

namespace Tinyinit.Daemon.Link;

/// <summary>Random access to the bytes of the state memfd (a byte array in tests).</summary>
internal interface IRecordStore
{
    /// <returns>Bytes read (fewer at the end of the file), or -1 on error.</returns>
    int ReadAt(long offset, Span<byte> buffer);

    bool WriteAt(long offset, ReadOnlySpan<byte> bytes);
}

/// <summary>
/// The byte layout of tinyinit's state memfd as the crash record (protocol/InitLink/README.md,
/// "Manager restart: the crash record"): a header with the manager generation, and two slots,
/// each described by a checksummed descriptor. A writer fills the slot that does not hold the
/// newest record, body first, descriptor last; a reader takes the valid slot with the highest
/// generation. So a manager killed in the middle of a write leaves the previous record readable.
/// </summary>
internal sealed class CrashRecordLayout
{
    public const uint Magic = 0x52434954;         // "TICR"
    public const uint LayoutVersion = 1;
    public const int HeaderSize = 24, DescriptorSize = 32, BodiesStart = 4096;
    public static readonly long[] DescriptorOffsets = [HeaderSize, HeaderSize + DescriptorSize];

    private readonly IRecordStore _store;
    private readonly Slot[] _slots = new Slot[2];
    private ulong _newestGeneration;

    private record struct Slot(ulong Generation, long Offset, int Length, bool Valid);

    private bool _headerWritten;

    private CrashRecordLayout(IRecordStore store) => _store = store;

    /// <summary>What the store held when opened: a crash record, tinyinit's empty file, or something else (an older format).</summary>
    public enum Content { Empty, Record, Foreign }

    /// <summary>Opens the store, learning which slots are valid. Foreign content is kept until the first <see cref="Write"/>.</summary>
    public static CrashRecordLayout Open(IRecordStore store, out Content content)
    {
        var layout = new CrashRecordLayout(store);
        Span<byte> header = stackalloc byte[HeaderSize + 2 * DescriptorSize];
        var n = store.ReadAt(0, header);
        if (n <= 0) { content = Content.Empty; return layout; }
        if (n < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) { content = Content.Foreign; return layout; }
        content = Content.Record;
        layout._headerWritten = true;
        layout.ManagerGeneration = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        for (var i = 0; i < 2; i++)
        {
            var d = header.Slice((int)DescriptorOffsets[i], DescriptorSize);
            if (n < DescriptorOffsets[i] + DescriptorSize || Crc32.Compute(d[..24]) != BinaryPrimitives.ReadUInt32LittleEndian(d[24..])) continue;
            var slot = new Slot(BinaryPrimitives.ReadUInt64LittleEndian(d), (long)BinaryPrimitives.ReadUInt64LittleEndian(d[8..]),
                (int)BinaryPrimitives.ReadUInt32LittleEndian(d[16..]), true);
            if (slot.Generation == 0 || slot.Offset < BodiesStart || slot.Length < 0) continue;
            layout._slots[i] = slot;
            layout._newestGeneration = Math.Max(layout._newestGeneration, slot.Generation);
        }
        return layout;
    }

    /// <summary>Manager images started since tinyinit created the file (as last stored).</summary>
    public ulong ManagerGeneration { get; private set; }

    /// <summary>Stores the generation of the manager now running (an 8-byte write; the header is created on first use).</summary>
    public bool StoreManagerGeneration(ulong generation)
    {
        ManagerGeneration = generation;
        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], LayoutVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], generation);
        if (_headerWritten) return _store.WriteAt(0, header);
        // Over an empty or older-format file: empty descriptors too, so nothing left there reads as a slot.
        Span<byte> fresh = stackalloc byte[HeaderSize + 2 * DescriptorSize];
        fresh.Clear();
        header.CopyTo(fresh);
        return _headerWritten = _store.WriteAt(0, fresh);
    }

    /// <summary>The body of the newest slot whose checksums hold, or null (with the reason) when there is none.</summary>
    public byte[]? ReadNewest(out string? problem)
    {
        problem = "no crash record";
        foreach (var i in _slots[0].Generation >= _slots[1].Generation ? new[] { 0, 1 } : [1, 0])
        {
            var slot = _slots[i];
            if (!slot.Valid) continue;
            var body = new byte[slot.Length];
            Span<byte> descriptor = stackalloc byte[DescriptorSize];
            if (_store.ReadAt(slot.Offset, body) != slot.Length || _store.ReadAt(DescriptorOffsets[i], descriptor) != DescriptorSize)
            {
                problem = $"slot {i} (generation {slot.Generation}) is truncated";
                continue;
            }
            if (Crc32.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(descriptor[20..]))
            {
                problem = $"slot {i} (generation {slot.Generation}) fails its checksum";
                continue;
            }
            problem = null;
            return body;
        }
        return null;
    }

    /// <summary>Writes a new record into the slot not holding the newest one; the newest stays intact until this completes.</summary>
    public bool Write(ReadOnlySpan<byte> body)
    {
        if (!_headerWritten && !StoreManagerGeneration(ManagerGeneration)) return false;
        var target = !_slots[0].Valid ? 0 : !_slots[1].Valid ? 1 : _slots[0].Generation <= _slots[1].Generation ? 0 : 1;
        var other = _slots[1 - target];
        long offset = BodiesStart;
        if (other.Valid && offset < other.Offset + other.Length && other.Offset < offset + body.Length)
            offset = (other.Offset + other.Length + BodiesStart - 1) / BodiesStart * BodiesStart;
        var generation = _newestGeneration + 1;
        Span<byte> descriptor = stackalloc byte[DescriptorSize];
        BinaryPrimitives.WriteUInt64LittleEndian(descriptor, generation);
        BinaryPrimitives.WriteUInt64LittleEndian(descriptor[8..], (ulong)offset);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[16..], (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[20..], Crc32.Compute(body));
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[24..], Crc32.Compute(descriptor[..24]));
        // The slot is invalid from the moment its body is overwritten: forget it first.
        _slots[target] = default;
        if (!_store.WriteAt(offset, body) || !_store.WriteAt(DescriptorOffsets[target], descriptor)) return false;
        _slots[target] = new Slot(generation, offset, body.Length, true);
        _newestGeneration = generation;
        return true;
    }
}
