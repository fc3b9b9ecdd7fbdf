using System.Buffers.Binary;
using System.Text;
using Tinyinit.Daemon.Link;

namespace Tinyinit.Daemon.Tests;

/// <summary>
/// The previous release's writer of the state file (StateRecord's format), kept here so tests
/// can make records a manager of that release would have left: no manager writes it any more.
/// </summary>
internal static class LegacyStateRecordWriter
{
    private const int HeaderSize = StateRecord.HeaderSize, TrailerSize = StateRecord.TrailerSize;

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
}
