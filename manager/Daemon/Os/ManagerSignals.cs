using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// The signals the manager handles synchronously through its signalfd, blocked in every thread
/// by <see cref="Native.SignalBootstrap"/> (block, re-exec, then signalfd).
/// </summary>
internal static class ManagerSignals
{
    public static ReadOnlySpan<int> Handled =>
    [
        Libc.SIGCHLD, Libc.SIGTERM, Libc.SIGINT, Libc.SIGQUIT, Libc.SIGHUP,
        Libc.SIGUSR1, Libc.SIGUSR2, Libc.SIGPWR,
    ];

    /// <summary>
    /// Blocks the handled signals in every thread, re-executing only when that cannot be
    /// confirmed in-process (saves a second runtime start-up on every manager start and
    /// hand-over); null, or why it could not be made sure.
    /// </summary>
    public static string? BlockEverywhere(string[] args)
    {
        if (SignalBootstrap.AlreadyBlocked(Handled) || SignalBootstrap.BlockInEveryThread(Handled)) return null;
        var path = Environment.ProcessPath;
        if (string.IsNullOrEmpty(path)) return "cannot re-exec: unknown executable path";
        // argv[0] as invoked, not the resolved path: the name decides the personality (dinit).
        var invokedAs = Environment.GetCommandLineArgs() is [{ Length: > 0 } first, ..] ? first : path;
        var errno = SignalBootstrap.BlockAndReexec(Handled, path, [invokedAs, .. args]);
        return $"cannot re-exec {path}: {Libc.StrError(errno)}";
    }
}
