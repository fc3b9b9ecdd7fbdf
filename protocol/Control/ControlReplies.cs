using System.Buffers.Binary;
using System.Text;

namespace Tinyinit.Protocol.Control;

/// <summary>
/// Decoders for complete reply and info packets (as delimited by <see cref="ReplyFraming"/>).
/// Each expects the packet to start with its code and be exactly as long as framing said.
/// </summary>
public static class ControlReplies
{
    public static (ushort MinimumCompatible, ushort Current) CpVersion(ReadOnlySpan<byte> p) =>
        (BinaryPrimitives.ReadUInt16LittleEndian(p[1..]), BinaryPrimitives.ReadUInt16LittleEndian(p[3..]));

    public static ServiceRecord ServiceRecord(ReadOnlySpan<byte> p) =>
        new(BinaryPrimitives.ReadUInt32LittleEndian(p[2..]), (ServiceState)p[1], (ServiceState)p[6]);

    public static ServiceListEntry ServiceInfo(ReadOnlySpan<byte> p, int statusVersion)
    {
        var size = StatusBuffer.SizeOf(statusVersion);
        var status = StatusBuffer.Read(p.Slice(2, size), statusVersion);
        return new ServiceListEntry(Encoding.UTF8.GetString(p[(2 + size)..]), status);
    }

    /// <summary>SERVICESTATUS: the <c>x</c> byte (ENABLE_SERVICE_V7: link existed) and the status.</summary>
    public static (bool Flag, ServiceStatus Status) ServiceStatus(ReadOnlySpan<byte> p, int statusVersion) =>
        (p[1] != 0, StatusBuffer.Read(p[2..], statusVersion));

    public static uint[] Dependents(ReadOnlySpan<byte> p)
    {
        var count = (int)BinaryPrimitives.ReadUInt64LittleEndian(p[1..]);
        var handles = new uint[count];
        for (var i = 0; i < count; i++) handles[i] = BinaryPrimitives.ReadUInt32LittleEndian(p[(9 + 4 * i)..]);
        return handles;
    }

    public static string HandOverRefused(ReadOnlySpan<byte> p) => Encoding.UTF8.GetString(p[3..]);
    public static string NotPermitted(ReadOnlySpan<byte> p) => Encoding.UTF8.GetString(p[3..]);

    public static string ServiceName(ReadOnlySpan<byte> p) => Encoding.UTF8.GetString(p[4..]);

    public static byte[] ServiceLog(ReadOnlySpan<byte> p) => p[6..].ToArray();

    public static string ServiceDirectory(ReadOnlySpan<byte> p) => Encoding.UTF8.GetString(p[5..]);

    /// <summary>ALLENV: the NUL-terminated <c>NAME=VALUE</c> entries.</summary>
    public static List<string> AllEnvironment(ReadOnlySpan<byte> p)
    {
        var result = new List<string>();
        var data = p[9..];
        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)0);
            if (end < 0) end = data.Length;
            result.Add(Encoding.UTF8.GetString(data[..end]));
            data = end < data.Length ? data[(end + 1)..] : [];
        }
        return result;
    }

    /// <summary>LOADER_MECH; null if the packet's inner lengths do not add up.</summary>
    public static LoaderMechanism? LoaderMechanism(ReadOnlySpan<byte> p)
    {
        if (p.Length < 14) return null;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(p[6..]);
        var offset = 10;
        if (!TryReadU32String(p, ref offset, out var cwd)) return null;
        var dirs = new List<string>();
        for (uint i = 0; i < count; i++)
        {
            if (!TryReadU32String(p, ref offset, out var dir)) return null;
            dirs.Add(dir);
        }
        return new LoaderMechanism(cwd, dirs);
    }

    private static bool TryReadU32String(ReadOnlySpan<byte> p, ref int offset, out string value)
    {
        value = "";
        if (p.Length - offset < 4) return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(p[offset..]);
        if (length > (uint)(p.Length - offset - 4)) return false;
        value = Encoding.UTF8.GetString(p.Slice(offset + 4, (int)length));
        offset += 4 + (int)length;
        return true;
    }

    /// <summary>SERVICEEVENT (100, v1 status) or SERVICEEVENT5 (101, v5 status).</summary>
    public static ServiceEventInfo ServiceEvent(ReadOnlySpan<byte> p)
    {
        var version = p[0] == (byte)InfoCode.ServiceEvent5 ? 5 : 1;
        return new ServiceEventInfo(BinaryPrimitives.ReadUInt32LittleEndian(p[2..]), (ServiceEventCode)p[6],
            StatusBuffer.Read(p[7..], version));
    }

    public static EnvironmentEventInfo EnvironmentEvent(ReadOnlySpan<byte> p)
    {
        var data = p[5..];
        if (!data.IsEmpty && data[^1] == 0) data = data[..^1];
        return new EnvironmentEventInfo(Encoding.UTF8.GetString(data), (p[2] & 1) != 0);
    }
}
