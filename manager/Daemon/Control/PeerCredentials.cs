using Tinyinit.Native;

namespace Tinyinit.Daemon.Control;

/// <summary>
/// Who is at the other end of an accepted control connection, as the kernel recorded it at
/// connect time (SO_PEERCRED, SO_PEERGROUPS): nothing the client sends can change it.
/// </summary>
internal readonly record struct PeerCredentials(uint Uid, uint Gid, uint[] Groups)
{
    private const int MaxGroups = 65536;

    /// <summary>Null when the kernel cannot say (then the peer gets no access).</summary>
    public static unsafe PeerCredentials? Of(int fd)
    {
        UCred cred;
        var length = sizeof(UCred);
        if (Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, &cred, &length) != 0) return null;
        return new PeerCredentials(cred.Uid, cred.Gid, GroupsOf(fd));
    }

    /// <summary>Supplementary groups (Linux 4.13+); only the primary group when the kernel has no SO_PEERGROUPS.</summary>
    private static unsafe uint[] GroupsOf(int fd)
    {
        for (var capacity = 64; capacity <= MaxGroups; capacity *= 4)
        {
            var groups = new uint[capacity];
            var length = capacity * sizeof(uint);
            fixed (uint* g = groups)
            {
                if (Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERGROUPS, g, &length) == 0)
                    return groups[..(length / sizeof(uint))];
            }
            if (Libc.Errno != Libc.ERANGE) return [];
        }
        return [];
    }

    public bool IsMemberOf(uint gid) => Gid == gid || Array.IndexOf(Groups, gid) >= 0;
}
