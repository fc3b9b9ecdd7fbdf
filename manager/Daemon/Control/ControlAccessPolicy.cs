using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Daemon.Control;

/// <summary>
/// Who may use the control socket. The system socket serves root, plus the members of
/// <c>--socket-group</c> for queries only; a user manager's socket serves its own uid (and root) only.
/// Every uid (root included) holds at most <see cref="PerUidLimit"/> connections, so one user
/// cannot take all of the manager's descriptors.
/// </summary>
internal sealed class ControlAccessPolicy(bool systemSocket, uint ownUid, (uint Gid, string Name)? queryGroup, int perUidLimit)
{
    public const int DefaultPerUidLimit = 128;
    private readonly Dictionary<uint, int> _connectionsPerUid = [];

    public int PerUidLimit => perUidLimit;

    public static ControlAccessPolicy For(Startup.DaemonOptions options, bool systemMode) =>
        new(systemMode, Libc.getuid(), options.SocketGroup, options.ConnectionsPerUid);

    /// <summary>A decision for one accepted connection; <see cref="Release"/> it when the connection closes.</summary>
    public readonly record struct Admission(ControlAccess Access, string Reason, uint Uid, bool Counted);

    public Admission Admit(int fd)
    {
        if (PeerCredentials.Of(fd) is not { } peer)
            return new(ControlAccess.None, $"permission denied: cannot tell who is connecting ({Libc.StrError(Libc.Errno)})", 0, false);
        var (access, reason) = Decide(peer);
        if (access == ControlAccess.None) return new(access, reason, peer.Uid, false);
        var held = _connectionsPerUid.GetValueOrDefault(peer.Uid);
        if (held >= perUidLimit)
            return new(ControlAccess.None, $"too many control connections from uid {peer.Uid} (limit {perUidLimit}); close some and retry", peer.Uid, false);
        _connectionsPerUid[peer.Uid] = held + 1;
        return new(access, reason, peer.Uid, true);
    }

    public void Release(Admission admission)
    {
        if (!admission.Counted || !_connectionsPerUid.TryGetValue(admission.Uid, out var held)) return;
        if (held <= 1) _connectionsPerUid.Remove(admission.Uid);
        else _connectionsPerUid[admission.Uid] = held - 1;
    }

    private (ControlAccess, string) Decide(PeerCredentials peer)
    {
        // Root is let in to a user's manager too: it could take the user's identity anyway, and an
        // administrator (or a test harness) may need to look after a user's services.
        if (!systemSocket)
            return peer.Uid == ownUid || peer.Uid == 0
                ? (ControlAccess.Full, "")
                : (ControlAccess.None, $"permission denied: this service manager serves uid {ownUid}{(ownUid == 0 ? "" : " and root")} only");
        if (peer.Uid == 0 || peer.Uid == ownUid) return (ControlAccess.Full, "");
        if (queryGroup is { } group && peer.IsMemberOf(group.Gid))
            return (ControlAccess.Query, $"permission denied: only root may do this; members of group {group.Name} may only query (list, status, is-started, is-failed)");
        return (ControlAccess.None, "permission denied: the system service manager serves root only" +
            (queryGroup is { } g ? $" (and queries from members of group {g.Name})" : ""));
    }
}
