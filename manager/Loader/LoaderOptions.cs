namespace Tinyinit.Loader;

/// <summary>
/// Where and how service descriptions are loaded (service-files.md §2, §5.5). One instance per
/// loader; the daemon builds a new one (or passes a live dictionary) when its global environment
/// changes.
/// </summary>
public sealed class LoaderOptions
{
    /// <summary>Service directories, searched in order (service-files.md §2.1).</summary>
    public required IReadOnlyList<string> ServiceDirectories { get; init; }

    /// <summary>Global environment used for substitution (service-files.md §5.5, item 3).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public bool UserMode { get; init; }

    /// <summary>
    /// True for a path that must not be opened as a description (e.g. a FIFO, which would block
    /// the manager); such a file is reported as unreadable. Null: no check (files are opened
    /// non-blocking anyway).
    /// </summary>
    public Func<string, bool>? IsSpecialFile { get; init; }

    /// <summary>Password/group database (run-as, socket-uid, export-passwd-vars...).</summary>
    public IUserDatabase Users { get; init; } = SystemUserDatabase.Instance;

    /// <summary>
    /// An already-loaded service by full name, or null (not loaded, or a placeholder). Lets the
    /// loader check <c>consumer-of</c> against a loaded producer and find cycles that pass through
    /// services loaded earlier (reload, before/after links). Null: only this load is checked.
    /// </summary>
    public Func<string, ServiceDescription?>? FindLoaded { get; init; }

    /// <summary>
    /// The default service directories (service-files.md §2.2, tinyinit names).
    /// </summary>
    /// <param name="userMode">User-mode defaults instead of system-mode ones.</param>
    /// <param name="getEnv">Environment lookup (XDG_CONFIG_HOME, HOME).</param>
    public static IReadOnlyList<string> DefaultDirectories(bool userMode, Func<string, string?> getEnv)
        => DefaultDirectories(userMode, getEnv, SystemUserDatabase.Instance);

    /// <summary>As above, with the password database used when HOME is unset.</summary>
    public static IReadOnlyList<string> DefaultDirectories(bool userMode, Func<string, string?> getEnv, IUserDatabase users)
    {
        string[] system = ["/etc/tinyinit.d", "/run/tinyinit.d", "/usr/local/lib/tinyinit.d", "/lib/tinyinit.d"];
        if (!userMode) return system;

        var dirs = new List<string>();
        var xdg = getEnv("XDG_CONFIG_HOME");
        if (!string.IsNullOrEmpty(xdg))
        {
            if (xdg.EndsWith('/')) xdg = xdg[..^1];
            dirs.Add(xdg + "/tinyinit.d");
        }
        var home = getEnv("HOME") ?? users.HomeOfRealUser();
        if (home != null)
        {
            var fromHome = home + "/.config/tinyinit.d";
            if (dirs.Count == 0 || dirs[0] != fromHome) dirs.Add(fromHome);
        }
        // Reference behaviour: with neither XDG_CONFIG_HOME nor a home directory, a user-mode
        // daemon falls back to the system list.
        if (dirs.Count == 0) return system;
        dirs.Add("/etc/tinyinit.d/user");
        dirs.Add("/usr/lib/tinyinit.d/user");
        dirs.Add("/usr/local/lib/tinyinit.d/user");
        return dirs;
    }
}
