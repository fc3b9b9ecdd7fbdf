using System.Buffers.Binary;

namespace Tinyinit.Protocol.InitLink;

/// <summary>
/// One message of the init↔manager link: exactly <see cref="Size"/> bytes, one per
/// SOCK_SEQPACKET datagram. Layout (little-endian):
/// <code>
///   0  u8   kind (LinkMessageKind)
///   1  u8   version (1)
///   2  u16  reserved, 0
///   4  i32  argument: pid | signal number | shutdown type | lost-event count | 0 (Hello)
///   8  i32  wait status (ChildExited), else 0
///  12  u32  reserved, 0
/// </code>
/// Encoding and decoding never allocate: PID 1 uses this type in its steady state.
/// <see cref="TryRead"/> rejects anything that is not exactly a well-formed message, so a
/// confused peer cannot make either side act on garbage.
/// </summary>
public readonly struct LinkMessage : IEquatable<LinkMessage>
{
    public const int Size = 16;
    public const byte Version = 1;
    /// <summary>Highest signal number a Signal message may carry (Linux SIGRTMAX).</summary>
    public const int MaxSignal = 64;
    /// <summary>Longest executable path a ReexecInit message may carry (PATH_MAX less the NUL).</summary>
    public const int MaxPathLength = 4095;
    /// <summary>Largest datagram on the link: a ReexecInit with the longest path.</summary>
    public const int MaxDatagram = Size + MaxPathLength;

    private readonly int _argument;

    private LinkMessage(LinkMessageKind kind, int argument, int status)
    {
        Kind = kind;
        _argument = argument;
        Status = status;
    }

    public LinkMessageKind Kind { get; }

    /// <summary>Reaped process id (<see cref="LinkMessageKind.ChildExited"/>).</summary>
    public int Pid => Kind == LinkMessageKind.ChildExited ? _argument : 0;

    /// <summary>Raw wait status as waitpid(2) returned it (<see cref="LinkMessageKind.ChildExited"/>).</summary>
    public int Status { get; }

    /// <summary>Signal number received by PID 1 (<see cref="LinkMessageKind.Signal"/>).</summary>
    public int SignalNumber => Kind == LinkMessageKind.Signal ? _argument : 0;

    /// <summary>Requested end of the system (<see cref="LinkMessageKind.Shutdown"/>).</summary>
    public ShutdownType ShutdownType => Kind == LinkMessageKind.Shutdown ? (ShutdownType)_argument : 0;

    /// <summary>How many events init had to drop (<see cref="LinkMessageKind.EventsLost"/>).</summary>
    public int LostCount => Kind == LinkMessageKind.EventsLost ? _argument : 0;

    public static LinkMessage Hello() => new(LinkMessageKind.Hello, 0, 0);

    /// <exception cref="ArgumentOutOfRangeException">pid is not positive.</exception>
    public static LinkMessage ChildExited(int pid, int status) =>
        pid > 0 ? new(LinkMessageKind.ChildExited, pid, status) : throw new ArgumentOutOfRangeException(nameof(pid));

    /// <exception cref="ArgumentOutOfRangeException">signo is not 1..<see cref="MaxSignal"/>.</exception>
    public static LinkMessage Signal(int signo) =>
        signo is > 0 and <= MaxSignal ? new(LinkMessageKind.Signal, signo, 0) : throw new ArgumentOutOfRangeException(nameof(signo));

    /// <exception cref="ArgumentOutOfRangeException">type is not a defined <see cref="ShutdownType"/>.</exception>
    public static LinkMessage Shutdown(ShutdownType type) =>
        IsShutdownType((int)type) ? new(LinkMessageKind.Shutdown, (int)type, 0) : throw new ArgumentOutOfRangeException(nameof(type));

    /// <exception cref="ArgumentOutOfRangeException">count is not positive.</exception>
    public static LinkMessage EventsLost(int count) =>
        count > 0 ? new(LinkMessageKind.EventsLost, count, 0) : throw new ArgumentOutOfRangeException(nameof(count));

    /// <summary>ReexecInit header for a path of <paramref name="pathLength"/> bytes (0: init's own executable); the path follows it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">pathLength is not 0..<see cref="MaxPathLength"/>.</exception>
    public static LinkMessage ReexecInit(int pathLength) =>
        pathLength is >= 0 and <= MaxPathLength ? new(LinkMessageKind.ReexecInit, pathLength, 0) : throw new ArgumentOutOfRangeException(nameof(pathLength));

    /// <summary>Executable path length of a ReexecInit message (the bytes after the header).</summary>
    public int PathLength => Kind == LinkMessageKind.ReexecInit ? _argument : 0;

    public static bool IsShutdownType(int value) => value is >= (int)ShutdownType.Halt and <= (int)ShutdownType.Kexec;

    /// <summary>Encodes into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">destination is shorter than <see cref="Size"/>.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException($"needs {Size} bytes", nameof(destination));
        destination[0] = (byte)Kind;
        destination[1] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], _argument);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Status);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], 0);
    }

    /// <summary>
    /// Decodes one datagram. False (and a default message) unless it is exactly <see cref="Size"/>
    /// bytes (a ReexecInit: plus its path) of the current version with a known kind, zero reserved
    /// fields and arguments in range.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out LinkMessage message)
    {
        message = default;
        if (source.Length < Size || source[1] != Version) return false;
        var expected = (LinkMessageKind)source[0] == LinkMessageKind.ReexecInit ? Size + BinaryPrimitives.ReadInt32LittleEndian(source[4..]) : Size;
        if (source.Length != expected) return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(source[2..]) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(source[12..]) != 0)
            return false;
        var kind = (LinkMessageKind)source[0];
        var argument = BinaryPrimitives.ReadInt32LittleEndian(source[4..]);
        var status = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        if (status != 0 && kind != LinkMessageKind.ChildExited) return false;
        var valid = kind switch
        {
            LinkMessageKind.Hello => argument == 0,
            LinkMessageKind.ChildExited => argument > 0,
            LinkMessageKind.Signal => argument is > 0 and <= MaxSignal,
            LinkMessageKind.Shutdown => IsShutdownType(argument),
            LinkMessageKind.EventsLost => argument > 0,
            LinkMessageKind.ReexecInit => argument is >= 0 and <= MaxPathLength,
            _ => false,
        };
        if (!valid) return false;
        message = new LinkMessage(kind, argument, status);
        return true;
    }

    public bool Equals(LinkMessage other) => Kind == other.Kind && _argument == other._argument && Status == other.Status;
    public override bool Equals(object? obj) => obj is LinkMessage other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Kind, _argument, Status);
    public static bool operator ==(LinkMessage left, LinkMessage right) => left.Equals(right);
    public static bool operator !=(LinkMessage left, LinkMessage right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        LinkMessageKind.Hello => "Hello",
        LinkMessageKind.ChildExited => $"ChildExited(pid {Pid}, status 0x{Status:x})",
        LinkMessageKind.Signal => $"Signal({SignalNumber})",
        LinkMessageKind.Shutdown => $"Shutdown({(int)ShutdownType})",
        LinkMessageKind.EventsLost => $"EventsLost({LostCount})",
        LinkMessageKind.ReexecInit => $"ReexecInit(path of {PathLength} bytes)",
        _ => "(empty)",
    };
}
