using System.Text;
using Tinyinit.Loader;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// The ids a <c>run-as</c> service gets (service-files.md §6.5), resolved by the manager before
/// the launch because the child cannot read the group database: by name, the user's primary
/// group and its supplementary groups as initgroups sets them; by number, the manager's gid
/// and no supplementary groups.
/// </summary>
internal static unsafe class RunAsIdentity
{
    /// <summary>Most groups a user may be in (NGROUPS_MAX on Linux).</summary>
    private const int MaxGroups = 65536;

    /// <returns>The identity, or null when the manager cannot (and need not) change ids.</returns>
    public static SpawnIdentity? Resolve(UserSpec runAs)
    {
        var uid = (uint)runAs.Uid;
        var gid = runAs.ByName && runAs.PrimaryGid is { } primary ? (uint)primary : Libc.getgid();
        // An unprivileged manager cannot set groups; running its services as itself changes nothing.
        if (Libc.geteuid() != 0 && uid == Libc.geteuid() && gid == Libc.getegid()) return null;
        return new SpawnIdentity(uid, gid, runAs.ByName ? GroupsOf(runAs.Text, gid) : []);
    }

    private static uint[] GroupsOf(string user, uint primary)
    {
        var name = NativeStrings.NullTerminated(user);
        var count = 32;
        while (true)
        {
            var groups = new uint[count];
            var found = count;
            fixed (byte* n = name)
            fixed (uint* g = groups)
            {
                if (Libc.getgrouplist(n, primary, g, &found) >= 0) return groups[..found];
            }
            // found is now the number needed; never loop on a database that keeps growing.
            if (found <= count || found > MaxGroups) return [primary];
            count = found;
        }
    }
}
