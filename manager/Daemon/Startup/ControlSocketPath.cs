namespace Tinyinit.Daemon.Startup;

/// <summary>Default control socket location (semantics.md §17.2 step 3, tinyinit names).</summary>
internal static class ControlSocketPath
{
    public const string SystemDefault = "/run/tinyinit.socket";

    /// <summary><c>-p</c> wins, else the mode's default (DINIT_SOCKET_PATH is a client-side variable).</summary>
    public static string Resolve(string? fromOption, bool systemMode, Func<string, string?> getEnv)
    {
        if (!string.IsNullOrEmpty(fromOption)) return fromOption;
        if (systemMode) return SystemDefault;
        var runtimeDir = getEnv("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir)) return Path.Combine(runtimeDir, "tinyinit.socket");
        return Path.Combine(getEnv("HOME") ?? "/", ".tinyinit.socket");
    }
}
