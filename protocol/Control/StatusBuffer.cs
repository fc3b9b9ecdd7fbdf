using System.Buffers.Binary;

namespace Tinyinit.Protocol.Control;

/// <summary>
/// Encodes and decodes the three status buffer layouts (control-protocol.md §5), LP64 little-endian.
/// v1 is 10 bytes, v5 14, v6 30; all share the 6-byte prefix.
/// </summary>
public static class StatusBuffer
{
    public const int SizeV1 = 10;
    public const int SizeV5 = 14;
    public const int SizeV6 = 30;

    public static int SizeOf(int version) => version switch { 1 => SizeV1, 5 => SizeV5, 6 => SizeV6, _ => throw new ArgumentOutOfRangeException(nameof(version)) };

    public static void Write(Span<byte> destination, in ServiceStatus status, int version)
    {
        WritePrefix(destination, status);
        if (version == 1)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[6..], FirstIntV1(status));
            return;
        }
        var (first, second) = IntsV5(status);
        BinaryPrimitives.WriteInt32LittleEndian(destination[6..], first);
        BinaryPrimitives.WriteInt32LittleEndian(destination[10..], second);
        if (version != 6) return;
        BinaryPrimitives.WriteInt64LittleEndian(destination[14..], status.DescriptionSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(destination[22..], status.DescriptionNanoseconds);
    }

    private static void WritePrefix(Span<byte> d, in ServiceStatus s)
    {
        d[0] = (byte)s.State;
        d[1] = (byte)s.Target;
        d[2] = (byte)s.Flags;
        d[3] = (byte)s.StopReason;
        var stage = s.StopReason == StopReason.ExecFailed && !s.HasPid ? s.ExecStage : (ushort)0;
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], stage);
    }

    private static int FirstIntV1(in ServiceStatus s)
    {
        if (s.HasPid) return s.Pid;
        if (s.StopReason == StopReason.ExecFailed) return s.ExecErrno;
        return s.ExitStatus == 0 ? 0 : -1;
    }

    private static (int, int) IntsV5(in ServiceStatus s)
    {
        if (s.HasPid) return (s.Pid, 0);
        if (s.StopReason == StopReason.ExecFailed) return (s.ExecErrno, 0);
        return (s.ExitCode, s.ExitStatus);
    }

    /// <summary>Decodes a buffer of exactly <see cref="SizeOf"/>(version) bytes.</summary>
    public static ServiceStatus Read(ReadOnlySpan<byte> source, int version)
    {
        var flags = (StatusFlags)source[2];
        var reason = (StopReason)source[3];
        var result = new ServiceStatus((ServiceState)source[0], (ServiceState)source[1], flags, reason,
            BinaryPrimitives.ReadUInt16LittleEndian(source[4..]));
        var first = BinaryPrimitives.ReadInt32LittleEndian(source[6..]);
        var hasPid = (flags & StatusFlags.HasPid) != 0;
        if (hasPid) return WithMtime(result with { Pid = first }, source, version);
        if (reason == StopReason.ExecFailed) return WithMtime(result with { ExecErrno = first }, source, version);
        if (version == 1)
            return result with { ExitCode = first == 0 ? 0 : ServiceStatus.ExitCodeExited, ExitStatus = first };
        var second = BinaryPrimitives.ReadInt32LittleEndian(source[10..]);
        return WithMtime(result with { ExitCode = first, ExitStatus = second }, source, version);
    }

    private static ServiceStatus WithMtime(ServiceStatus s, ReadOnlySpan<byte> source, int version) => version != 6 ? s : s with
    {
        DescriptionSeconds = BinaryPrimitives.ReadInt64LittleEndian(source[14..]),
        DescriptionNanoseconds = BinaryPrimitives.ReadInt64LittleEndian(source[22..]),
    };
}
