namespace Tinyinit.Protocol.Control;

/// <summary>
/// What a connection may ask, decided by the daemon from the peer's credentials when it accepts
/// (protocol/Control/README.md, "Who may connect"). A request the connection may not make is
/// answered NOTPERMITTED (93) with the reason; a connection with no access gets that answer to
/// its first request and is then closed.
/// </summary>
public enum ControlAccess
{
    /// <summary>Refused: not the manager's user (user mode), not root or the socket group (system mode), or over the connection cap.</summary>
    None,
    /// <summary>A member of <c>--socket-group</c>: queries that neither change state nor reveal logs or the environment.</summary>
    Query,
    /// <summary>root on the system socket, the manager's own uid on a user socket: everything.</summary>
    Full,
}

public static class ControlAccessRules
{
    /// <summary>
    /// Requests open to <see cref="ControlAccess.Query"/>: version, finding (not loading) a
    /// service, listing, status, names and directories, closing one's own handles, the manager's
    /// own status (generation and start time). Everything
    /// else changes state (start, stop, load, reload, dependencies, environment, triggers,
    /// signals, shutdown, hand-over) or reveals what root may keep private (CATLOG's service
    /// output, GETALLENV and LISTENENV's environment, which can hold secrets).
    /// </summary>
    public static bool IsQuery(RequestCode code) => code is
        RequestCode.QueryVersion or RequestCode.FindService or RequestCode.ListServices or
        RequestCode.ListServices5 or RequestCode.QueryLoadMech or RequestCode.QueryServiceName or
        RequestCode.ServiceStatus or RequestCode.ServiceStatus5 or RequestCode.ServiceStatus6 or
        RequestCode.QueryServiceDscDir or RequestCode.CloseHandle or RequestCode.ManagerStatus or RequestCode.NotifyStatus;

    /// <summary>NOTPERMITTED (93): u16 little-endian length, then the UTF-8 reason (at most 65535 bytes).</summary>
    public static byte[] NotPermittedPacket(string reason)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(reason);
        var length = Math.Min(text.Length, ushort.MaxValue);
        var packet = new byte[3 + length];
        packet[0] = (byte)ReplyCode.NotPermitted;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(1), (ushort)length);
        text.AsSpan(0, length).CopyTo(packet.AsSpan(3));
        return packet;
    }

    public static bool Allows(this ControlAccess access, RequestCode code) =>
        access == ControlAccess.Full || (access == ControlAccess.Query && IsQuery(code));
}
