using Tinyinit.Native;

namespace Tinyinit.Ctl.Client;

/// <summary>Where the daemon listens (ctl.md §1.3 with tinyinit's names).</summary>
internal static class SocketLocator
{
    public const string SystemSocket = "/run/tinyinit.socket";
    public const string UserSocketName = "tinyinit.socket";

    /// <summary>The socket path, or null when no user directory can be determined.</summary>
    public static string? Locate(string? explicitPath, bool? systemMode, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return explicitPath;
        var fromEnvironment = environment("DINIT_SOCKET_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        if (IsSystemMode(systemMode)) return SystemSocket;
        var runtimeDir = environment("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir)) return Path.Combine(runtimeDir, UserSocketName);
        var home = environment("HOME");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, "." + UserSocketName);
    }

    public static bool IsSystemMode(bool? systemMode) => systemMode ?? Libc.getuid() == 0;
}
