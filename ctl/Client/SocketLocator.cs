using Tinyinit.Loader;
using Tinyinit.Native;

namespace Tinyinit.Ctl.Client;

/// <summary>Where the daemon listens (ctl.md §1.3, under the personality's names).</summary>
internal static class SocketLocator
{
    /// <summary>The socket path, or null when no user directory can be determined.</summary>
    public static string? Locate(string? explicitPath, bool? systemMode, Func<string, string?> environment, Personality personality)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return explicitPath;
        var fromEnvironment = environment("DINIT_SOCKET_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        return IsSystemMode(systemMode) ? personality.SystemSocket : personality.UserSocket(environment, SystemUserDatabase.Instance);
    }

    public static bool IsSystemMode(bool? systemMode) => systemMode ?? Libc.getuid() == 0;
}
