using System.Buffers.Binary;
using System.Text;

namespace Tinyinit.Daemon.Link;

/// <summary>One service process the manager supervises, as recorded for a successor.</summary>
/// <param name="StartTicks">Field 22 of /proc/PID/stat: tells a live process from a reused pid.</param>
internal readonly record struct StateEntry(string Service, int Pid, long StartTicks);

/// <summary>
/// The state file's previous format (before the crash record, CrashRecordLayout):
/// <c>length u32 | generation u64 | body | crc32 u32</c>, the body being UTF-8 lines
/// <c>service TAB pid TAB start-ticks</c>. Only read (no manager writes it any more), so that a
/// manager replacing one of the previous release can stop what that one left running rather
/// than start it twice. A record that is truncated or whose CRC does not match is treated as
/// absent.
/// </summary>
internal static class StateRecord
{
    public const int HeaderSize = 12, TrailerSize = 4;

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
