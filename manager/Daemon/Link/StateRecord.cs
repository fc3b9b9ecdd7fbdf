using System.Buffers.Binary;
using System.Text;

namespace Tinyinit.Daemon.Link;

/// <summary>One service process the manager supervises, as recorded for a successor.</summary>
/// <param name="StartTicks">Field 22 of /proc/PID/stat: tells a live process from a reused pid.</param>
internal readonly record struct StateEntry(string Service, int Pid, long StartTicks);

/// <summary>
/// The state file's previous format (before the crash record, CrashRecordLayout):
/// <c>length u32 | generation u64 | body | crc32 u32</c>, the body being UTF-8 lines
/// <c>service TAB pid TAB start-ticks</c>. Still read, so that a manager replacing one of the
/// previous release can stop what that one left running rather than start it twice. A record
/// that is truncated or whose CRC does not match is treated as absent.
/// </summary>
internal static class StateRecord
{
    private const int HeaderSize = 12, TrailerSize = 4;

    public static byte[] Encode(IEnumerable<StateEntry> entries, ulong generation)
    {
        var body = new StringBuilder();
        foreach (var e in entries)
            if (!e.Service.Contains('\t') && !e.Service.Contains('\n'))
                body.Append(e.Service).Append('\t').Append(e.Pid).Append('\t').Append(e.StartTicks).Append('\n');
        var bodyBytes = Encoding.UTF8.GetBytes(body.ToString());
        var record = new byte[HeaderSize + bodyBytes.Length + TrailerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)bodyBytes.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(4), generation);
        bodyBytes.CopyTo(record, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(HeaderSize + bodyBytes.Length), Crc32.Compute(record.AsSpan(0, HeaderSize + bodyBytes.Length)));
        return record;
    }

    /// <returns>The entries, or an empty list when the record is absent, truncated or corrupt.</returns>
    public static IReadOnlyList<StateEntry> Decode(ReadOnlySpan<byte> record)
    {
        if (record.Length < HeaderSize + TrailerSize) return [];
        var length = BinaryPrimitives.ReadUInt32LittleEndian(record);
        if (length > record.Length - HeaderSize - TrailerSize) return [];
        var covered = record[..(HeaderSize + (int)length)];
        if (Crc32.Compute(covered) != BinaryPrimitives.ReadUInt32LittleEndian(record[covered.Length..])) return [];
        var entries = new List<StateEntry>();
        foreach (var line in Encoding.UTF8.GetString(covered[HeaderSize..]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length == 3 && int.TryParse(fields[1], out var pid) && pid > 1 && long.TryParse(fields[2], out var ticks))
                entries.Add(new StateEntry(fields[0], pid, ticks));
        }
        return entries;
    }
}

/// <summary>CRC-32 (IEEE 802.3), table-driven.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
