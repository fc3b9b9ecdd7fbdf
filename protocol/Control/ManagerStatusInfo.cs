using System.Buffers.Binary;

namespace Tinyinit.Protocol.Control;

/// <summary>
/// tinyinit's MANAGERSTATUS reply (code 91, protocol/Control/README.md): which manager image
/// answers and since when. 21 bytes:
/// <c>91 generation:u32le started:i64le record-bytes:u32le record-write-us:u32le</c>.
/// </summary>
/// <param name="Generation">Manager images that have run since tinyinit started the first, this one included (crash restarts and hand-overs both count).</param>
/// <param name="StartedUnixSeconds">When this image started (wall clock, seconds since the Unix epoch).</param>
/// <param name="RecordBytes">Size of the engine state in the last crash record written (0: none).</param>
/// <param name="RecordWriteMicroseconds">How long writing the last crash record took.</param>
public readonly record struct ManagerStatusInfo(uint Generation, long StartedUnixSeconds, uint RecordBytes, uint RecordWriteMicroseconds)
{
    public const int ReplyLength = 21;

    public void Write(Span<byte> reply)
    {
        reply[0] = (byte)ReplyCode.ManagerStatus;
        BinaryPrimitives.WriteUInt32LittleEndian(reply[1..], Generation);
        BinaryPrimitives.WriteInt64LittleEndian(reply[5..], StartedUnixSeconds);
        BinaryPrimitives.WriteUInt32LittleEndian(reply[13..], RecordBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(reply[17..], RecordWriteMicroseconds);
    }

    public static ManagerStatusInfo Read(ReadOnlySpan<byte> reply) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(reply[1..]),
        BinaryPrimitives.ReadInt64LittleEndian(reply[5..]),
        BinaryPrimitives.ReadUInt32LittleEndian(reply[13..]),
        BinaryPrimitives.ReadUInt32LittleEndian(reply[17..]));
}
