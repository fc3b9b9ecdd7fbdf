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
    /// The default service directories (service-files.md §2.2), under tinyinit's names or, for
    /// the drop-in personality, the reference's.
    /// </summary>
    /// <param name="userMode">User-mode defaults instead of system-mode ones.</param>
    /// <param name="getEnv">Environment lookup (XDG_CONFIG_HOME, HOME).</param>
    /// <param name="personality">Whose names; tinyinit's when null.</param>
    public static IReadOnlyList<string> DefaultDirectories(bool userMode, Func<string, string?> getEnv, Personality? personality = null)
        => DefaultDirectories(userMode, getEnv, SystemUserDatabase.Instance, personality);

    /// <summary>As above, with the password database used when HOME is unset.</summary>
    public static IReadOnlyList<string> DefaultDirectories(bool userMode, Func<string, string?> getEnv, IUserDatabase users, Personality? personality = null)
    {
        var name = (personality ?? Personality.Tinyinit).ServiceDirectoryName;
        string[] system = [$"/etc/{name}", $"/run/{name}", $"/usr/local/lib/{name}", $"/lib/{name}"];
        if (!userMode) return system;

        var dirs = new List<string>();
        var xdg = getEnv("XDG_CONFIG_HOME");
        if (!string.IsNullOrEmpty(xdg))
        {
            if (xdg.EndsWith('/')) xdg = xdg[..^1];
            dirs.Add($"{xdg}/{name}");
        }
        var home = getEnv("HOME") ?? users.HomeOfRealUser();
        if (home != null)
        {
            var fromHome = $"{home}/.config/{name}";
            if (dirs.Count == 0 || dirs[0] != fromHome) dirs.Add(fromHome);
        }
        // Reference behaviour: with neither XDG_CONFIG_HOME nor a home directory, a user-mode
        // daemon falls back to the system list.
        if (dirs.Count == 0) return system;
        dirs.Add($"/etc/{name}/user");
        dirs.Add($"/usr/lib/{name}/user");
        dirs.Add($"/usr/local/lib/{name}/user");
        return dirs;
    }
}
