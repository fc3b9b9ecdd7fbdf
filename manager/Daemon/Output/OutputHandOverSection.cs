using System.Text;

namespace Tinyinit.Daemon.Output;

/// <summary>One output pipe as a predecessor manager left it.</summary>
internal sealed record OutputHandOverEntry(string Name, OutputKind Kind, int ReadFd, int WriteFd, int ReadKey, int WriteKey,
    int BufferCapacity, byte[] Buffered, int FileFd, string FilePath);

/// <summary>
/// The hand-over record's section "logs" (protocol/InitLink/README.md): every output pipe, with
/// its descriptors by number (planned hand-over; -1 in the crash record), the keys its ends are
/// parked under, the captured buffer (planned hand-over only: the crash record is not rewritten
/// for every line a service prints, so a crash loses what the buffer held) and the log file
/// descriptor and path.
/// Payload: u8 version (1), i32 count, then per pipe: name string, u8 kind, i32 read fd,
/// i32 write fd, i32 read key, i32 write key, i32 buffer capacity, i32 length + buffered bytes,
/// i32 file fd, file path string (BinaryWriter encoding: little-endian, 7-bit length-prefixed UTF-8).
/// </summary>
internal static class OutputHandOverSection
{
    public const string Name = "logs";
    private const byte Version = 1;

    public static byte[] Encode(IEnumerable<ServiceOutput> outputs, bool withDescriptors)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            var list = outputs.ToList();
            w.Write(Version);
            w.Write(list.Count);
            foreach (var o in list)
            {
                w.Write(o.Name);
                w.Write((byte)o.Kind);
                w.Write(withDescriptors ? o.ReadFd : -1);
                w.Write(withDescriptors ? o.WriteFd : -1);
                w.Write(o.ReadKey);
                w.Write(o.WriteKey);
                w.Write(o.Buffer?.Capacity ?? 0);
                var buffered = withDescriptors && o.Buffer != null ? o.Buffer.Contents : [];
                w.Write(buffered.Length);
                w.Write(buffered);
                w.Write(withDescriptors ? o.FileFd : -1);
                w.Write(o.FilePath);
            }
        }
        return stream.ToArray();
    }

    /// <returns>The entries, or null when the payload cannot be read (a newer format, or damage).</returns>
    public static List<OutputHandOverEntry>? Decode(byte[] payload)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            if (r.ReadByte() != Version) return null;
            var entries = new List<OutputHandOverEntry>();
            for (var n = r.ReadInt32(); n > 0; n--)
            {
                var name = r.ReadString();
                var kind = (OutputKind)r.ReadByte();
                var (readFd, writeFd, readKey, writeKey, capacity) = (r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
                var length = r.ReadInt32();
                if (length < 0 || !Enum.IsDefined(kind)) return null;
                var buffered = r.ReadBytes(length);
                if (buffered.Length != length) return null;
                entries.Add(new OutputHandOverEntry(name, kind, readFd, writeFd, readKey, writeKey, capacity, buffered, r.ReadInt32(), r.ReadString()));
            }
            return entries;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
    }
}
