using System.Buffers.Binary;

namespace Tinyinit.Protocol.Control;

/// <summary>
/// How long a server→client packet is, judged from its first bytes (control-protocol.md §6.2, §7).
/// SVCINFO and SERVICESTATUS carry a status buffer whose size depends on the request the client
/// sent, so the caller passes it in.
/// </summary>
public static class ReplyFraming
{
    public const int NeedMoreBytes = 0;
    public const int Invalid = -1;

    /// <summary>Largest packet a client accepts (a log buffer or environment can be big, but not unbounded).</summary>
    public const long MaxPacketLength = 64L * 1024 * 1024;

    public static int Length(ReadOnlySpan<byte> b, int statusSize)
    {
        if (b.Length == 0) return NeedMoreBytes;
        return b[0] switch
        {
            (byte)ReplyCode.CpVersion => 5,
            (byte)ReplyCode.ServiceRecord => 7,
            (byte)ReplyCode.ServiceInfo => b.Length < 2 ? NeedMoreBytes : 2 + statusSize + ServiceInfoNameLength(b[1]),
            (byte)ReplyCode.ServiceStatus => 2 + statusSize,
            (byte)ReplyCode.LoaderMech => b.Length < 6 ? NeedMoreBytes : Checked(BinaryPrimitives.ReadUInt32LittleEndian(b[2..]), 14),
            (byte)ReplyCode.Dependents => b.Length < 9 ? NeedMoreBytes : Checked(9 + 4 * (ulong)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(b[1..]), (ulong)MaxPacketLength), 9),
            (byte)ReplyCode.ManagerStatus => ManagerStatusInfo.ReplyLength,
            (byte)ReplyCode.HandOverRefused or (byte)ReplyCode.ReexecInitRefused or (byte)ReplyCode.NotPermitted or (byte)ReplyCode.NotifyStatus or (byte)ReplyCode.LogReopenFailed => b.Length < 3 ? NeedMoreBytes : 3 + BinaryPrimitives.ReadUInt16LittleEndian(b[1..]),
            (byte)ReplyCode.ServiceName => b.Length < 4 ? NeedMoreBytes : 4 + BinaryPrimitives.ReadUInt16LittleEndian(b[2..]),
            (byte)ReplyCode.ServiceLog => b.Length < 6 ? NeedMoreBytes : Checked(6 + (ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[2..]), 6),
            (byte)ReplyCode.ServiceDescriptionDirectory => b.Length < 5 ? NeedMoreBytes : Checked(5 + (ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[1..]), 5),
            (byte)ReplyCode.AllEnvironment => b.Length < 9 ? NeedMoreBytes : Checked(9 + Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(b[1..]), (ulong)MaxPacketLength), 9),
            (byte)InfoCode.ServiceEvent => 7 + StatusBuffer.SizeV1,
            (byte)InfoCode.ServiceEvent5 => 7 + StatusBuffer.SizeV5,
            (byte)InfoCode.EnvironmentEvent => b.Length < 5 ? NeedMoreBytes : 5 + BinaryPrimitives.ReadUInt16LittleEndian(b[3..]),
            >= 100 => b.Length < 2 ? NeedMoreBytes : Checked(b[1], 2), // future info packets: second byte is the length
            >= 50 and <= 79 => 1,
            _ => Invalid,
        };
    }

    /// <summary>
    /// Service names are never empty, so a length byte of 0 can only be the wrapped length of a
    /// name truncated to 256 bytes (§6.12): read it as 256 and long names still list.
    /// </summary>
    public static int ServiceInfoNameLength(byte lengthByte) => lengthByte == 0 ? 256 : lengthByte;

    private static int Checked(ulong length, int minimum) =>
        length < (ulong)minimum || length > MaxPacketLength ? Invalid : (int)length;

    public static bool IsInfo(byte code) => code >= 100;
}
