namespace Tinyinit.Daemon.Os;

/// <summary>
/// Where <c>run-in-cgroup</c> paths lead (service-files.md §6.26, cgroup v2 only): a path with
/// a leading <c>/</c> is under <c>/sys/fs/cgroup</c>; any other is under the base: the daemon's
/// <c>-b</c> path, else the root for the manager of PID 1, else the manager's own cgroup when
/// <c>/proc/self/cgroup</c> is the single v2 line <c>0::/path</c>, else the root (as the
/// reference, which then resolves against <c>/sys/fs/cgroup</c> itself). The child writes
/// itself into the resolved directory's cgroup.procs; nothing is created.
/// </summary>
internal sealed class CgroupPaths(string basePath)
{
    public const string Mount = "/sys/fs/cgroup";

    /// <summary>The base of relative paths, as a cgroup path ("/" for the root).</summary>
    public string Base { get; } = "/" + basePath.Trim('/');

    public static CgroupPaths Root { get; } = new("/");

    /// <summary>The manager's base (see the class summary); <paramref name="selfCgroup"/> reads /proc/self/cgroup (null: unreadable).</summary>
    public static CgroupPaths ForManager(string? optionBase, bool managerOfPid1, Func<string?> selfCgroup) =>
        new(optionBase ?? (managerOfPid1 ? "/" : OwnCgroup(selfCgroup()) ?? "/"));

    /// <summary>The cgroup path of a /proc/PID/cgroup text that is exactly one line <c>0::/path</c>, else null.</summary>
    public static string? OwnCgroup(string? procCgroup)
    {
        if (procCgroup == null) return null;
        var line = procCgroup.TrimEnd('\n');
        if (line.Contains('\n') || !line.StartsWith("0::/", StringComparison.Ordinal)) return null;
        return line[3..];
    }

    /// <summary>The cgroup directory a <c>run-in-cgroup</c> value names.</summary>
    public string Directory(string runInCgroup)
    {
        var relative = runInCgroup.StartsWith('/') ? runInCgroup.TrimStart('/') : Join(Base, runInCgroup).TrimStart('/');
        return relative.Length == 0 ? Mount : Mount + "/" + relative;
    }

    private static string Join(string a, string b) => a.TrimEnd('/') + "/" + b;

    public static string? ReadSelfCgroup()
    {
        try
        {
            return File.ReadAllText("/proc/self/cgroup");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
