using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Finds tinyinitd: --manager, else $TINYINIT_MANAGER, else next to tinyinit's own executable,
/// else /sbin/tinyinitd. An explicit choice is never replaced by a default one: a typo must be
/// an error, not a silently different manager.
/// </summary>
internal static unsafe class ManagerLocator
{
    public const string EnvironmentVariable = "TINYINIT_MANAGER";
    public const string FallbackPath = "/sbin/tinyinitd";

    /// <summary>The executable to start, or null with <paramref name="tried"/> naming what was looked at.</summary>
    public static string? Find(string? fromOption, out string tried)
    {
        var explicitPath = fromOption ?? NonEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable));
        if (explicitPath != null)
        {
            tried = explicitPath;
            return IsExecutable(explicitPath) ? explicitPath : null;
        }
        var beside = BesideSelf();
        if (beside != null && IsExecutable(beside))
        {
            tried = beside;
            return beside;
        }
        tried = beside == null ? FallbackPath : beside + ", " + FallbackPath;
        return IsExecutable(FallbackPath) ? FallbackPath : null;
    }

    /// <summary>The path to keep retrying when nothing was found: the explicit choice, else the fallback.</summary>
    public static string Preferred(string? fromOption) =>
        fromOption ?? NonEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) ?? FallbackPath;

    private static string? BesideSelf()
    {
        var self = SelfPath.Find();
        var slash = self == null ? -1 : self.LastIndexOf('/');
        return slash < 0 ? null : string.Concat(self.AsSpan(0, slash + 1), "tinyinitd");
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static bool IsExecutable(string path)
    {
        var bytes = NativeStrings.NullTerminated(path);
        fixed (byte* p = bytes)
        {
            if (Libc.access(p, Libc.X_OK) != 0) return false;
            var dir = Libc.open(p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (dir >= 0) Libc.close(dir);
            return dir < 0;
        }
    }
}
