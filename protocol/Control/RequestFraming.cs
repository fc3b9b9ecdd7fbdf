using System.Buffers.Binary;

namespace Tinyinit.Protocol.Control;

/// <summary>
/// How long a request is, judged from its first bytes (control-protocol.md §1.1, §6.1).
/// Variable-length requests (FINDSERVICE, LOADSERVICE, SETENV) are judged only once 4 bytes are
/// buffered; a length of 0 or more than 1021 makes the request invalid.
/// </summary>
public static class RequestFraming
{
    /// <summary>The reference's input buffer; no valid request is longer.</summary>
    public const int MaxRequestLength = 1024;

    public const int MaxPayloadLength = MaxRequestLength - 3;

    public const int Invalid = -1;
    public const int NeedMoreBytes = 0;

    /// <summary>Total length of the request starting at <paramref name="buffered"/>[0], <see cref="NeedMoreBytes"/>, or <see cref="Invalid"/>.</summary>
    public static int Length(ReadOnlySpan<byte> buffered)
    {
        if (buffered.Length == 0) return NeedMoreBytes;
        var code = buffered[0];
        if (code is (byte)RequestCode.RestartManager or (byte)RequestCode.ReexecInit) return RestartManagerLength(buffered);
        if (code == (byte)RequestCode.ManagerStatus) return 1;
        if (code == (byte)RequestCode.NotifyStatus) return 5;
        if (code == (byte)RequestCode.ReopenLog) return 5;
        if (code > (byte)RequestCode.EnableServiceV7) return Invalid;
        if (code is (byte)RequestCode.FindService or (byte)RequestCode.LoadService or (byte)RequestCode.SetEnv)
            return VariableLength(buffered);
        return FixedLengths[code];
    }

    private static int VariableLength(ReadOnlySpan<byte> buffered)
    {
        if (buffered.Length < 4) return NeedMoreBytes;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(buffered[1..]);
        return length is 0 or > MaxPayloadLength ? Invalid : 3 + length;
    }

    // Unlike SETENV's, its payload may be empty (no path: the manager's own executable).
    private static int RestartManagerLength(ReadOnlySpan<byte> buffered)
    {
        if (buffered.Length < 3) return NeedMoreBytes;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(buffered[1..]);
        return length > MaxPayloadLength ? Invalid : 3 + length;
    }

    // Indexed by request code; 0 marks the variable-length ones.
    private static readonly int[] FixedLengths =
    [
        1, 0, 0, 6, 6, 6, 6, 5, 1, 5, // 0-9
        2, 10, 10, 1, 10, 6, 5, 0, 5, 6, // 10-19
        6, 9, 6, 5, 2, 1, 5, 1, 5, 10, // 20-29
    ];
}
