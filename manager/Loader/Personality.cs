namespace Tinyinit.Loader;

/// <summary>
/// The default places a program uses: tinyinit's own names, or the reference's when it is
/// invoked under one of the reference's names (spec README, "Drop-in personality"), so that a
/// machine or a user account switches from Dinit by pointing those names at tinyinit's binaries
/// and changing nothing else.
/// </summary>
public sealed class Personality
{
    public static readonly Personality Tinyinit = new("tinyinit.d", "/run/tinyinit.socket", "tinyinit.socket", "/etc/tinyinit/environment");
    public static readonly Personality Dinit = new("dinit.d", "/run/dinitctl", "dinitctl", "/etc/dinit/environment");

    private Personality(string serviceDirectoryName, string systemSocket, string userSocketName, string systemEnvironmentFile)
    {
        ServiceDirectoryName = serviceDirectoryName;
        SystemSocket = systemSocket;
        UserSocketName = userSocketName;
        SystemEnvironmentFile = systemEnvironmentFile;
    }

    /// <summary>The last component of every default service directory (<c>/etc/dinit.d</c> …).</summary>
    public string ServiceDirectoryName { get; }

    /// <summary>The control socket of a system-mode manager.</summary>
    public string SystemSocket { get; }

    /// <summary>A user-mode socket's name in <c>$XDG_RUNTIME_DIR</c> (in <c>$HOME</c> with a leading dot).</summary>
    public string UserSocketName { get; }

    /// <summary>The environment file a system manager (and a system-mode checker) reads by default.</summary>
    public string SystemEnvironmentFile { get; }

    public bool IsReference => ReferenceEquals(this, Dinit);

    /// <summary>The personality of a program invoked as <paramref name="programName"/> (argv[0] without its directory).</summary>
    public static Personality ForProgram(string programName) =>
        programName is "dinit" or "dinitctl" or "dinit-check" or "dinit-monitor" ? Dinit : Tinyinit;

    /// <summary>
    /// A user-mode socket path: in <c>$XDG_RUNTIME_DIR</c>, else a dot file in the home directory
    /// (<c>$HOME</c>, else the password database's, as the reference does); null with neither.
    /// </summary>
    /// <param name="users">The password database; null: <c>$HOME</c> only.</param>
    public string? UserSocket(Func<string, string?> getEnv, IUserDatabase? users = null)
    {
        var runtimeDir = getEnv("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir)) return Path.Combine(runtimeDir, UserSocketName);
        var home = getEnv("HOME");
        if (string.IsNullOrEmpty(home)) home = users?.HomeOfRealUser();
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, "." + UserSocketName);
    }
}
