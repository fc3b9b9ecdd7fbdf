namespace Tinyinit.Init;

/// <summary>Fixed output texts, as UTF-8 literals (printed with write(2)).</summary>
internal static class Texts
{
    /// <summary>Allocates: printed only before start-up, then the program exits.</summary>
    public static byte[] Version => System.Text.Encoding.UTF8.GetBytes(Protocol.ReleaseVersion.Text("tinyinit", underReferenceName: false));

    public static ReadOnlySpan<byte> Usage => """
        Usage: tinyinit [--manager PATH] [-u] [--root DIR] [--shutdown-timeout SECONDS] [MANAGER-ARGUMENT...]

        PID 1 of tinyinit: mounts /proc, /sys, /dev and /run when booted by a kernel, reaps
        orphans, starts the service manager (tinyinitd) and restarts it if it dies, forwards
        child exits and shutdown signals to it, and performs the final kill, shutdown hook,
        swapoff, unmount, sync and reboot(2). Every argument other than the options below is
        passed to the manager unchanged, e.g.  tinyinit -d /etc/tinyinit.d boot

        Options:
          --manager PATH   start PATH as the manager (default: $TINYINIT_MANAGER, else
                           tinyinitd next to this program, else /sbin/tinyinitd)
          --root DIR       as PID 1, treat DIR as the system's root: mount /proc, /sys, /dev
                           and /run under it at start, unmount what is mounted under it and
                           remount it read-only at the end (tests, containers)
          --shutdown-timeout SECONDS
                           shut down without the manager when it has not acted on a shutdown
                           signal within SECONDS (default $TINYINIT_SHUTDOWN_TIMEOUT, else 90;
                           0: wait for it, but a third ctrl-alt-del always forces it)
          -u, --user       supervise a user's manager (also passed to it): run as that
                           user, not PID 1; tinyinit is a child subreaper, restarts the
                           manager if it dies, and at the end stops its own descendants
                           (never anything else) and exits instead of rebooting
          --help           show this text and exit
          --version        show the version and exit

        Exit codes: 0 success, 1 (-u) something had to be killed at the end, 100 usage
        error, 111 system failure (e.g. no manager found).
        Booted by a kernel tinyinit never exits: it ignores --help and bad options.
        See tinyinit(8).

        """u8;
}
