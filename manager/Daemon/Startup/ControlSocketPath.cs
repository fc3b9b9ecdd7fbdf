using Tinyinit.Loader;

namespace Tinyinit.Daemon.Startup;

/// <summary>Default control socket location (semantics.md §17.2 step 3, under the personality's names).</summary>
internal static class ControlSocketPath
{
    /// <summary><c>-p</c> wins, else the mode's default (DINIT_SOCKET_PATH is a client-side variable).</summary>
    public static string Resolve(string? fromOption, bool systemMode, Func<string, string?> getEnv, Personality? personality = null)
    {
        var names = personality ?? Personality.Tinyinit;
        if (!string.IsNullOrEmpty(fromOption)) return fromOption;
        if (systemMode) return names.SystemSocket;
        // Neither XDG_RUNTIME_DIR nor HOME: the socket lands in / (the reference does the same).
        return names.UserSocket(getEnv, SystemUserDatabase.Instance) ?? Path.Combine("/", "." + names.UserSocketName);
    }
}
