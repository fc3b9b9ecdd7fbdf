using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// The shutdown hook (semantics.md §17.7): the first executable of /etc/tinyinit/shutdown-hook,
/// /lib/tinyinit/shutdown-hook, /etc/dinit/shutdown-hook, /lib/dinit/shutdown-hook (inside the
/// scope), run after every other process was killed with one argument — poweroff, halt, reboot
/// (also for kexec) or soft. Exit status 0 means the hook took care of the filesystems. It runs
/// with an empty signal mask and PID 1's environment and console, and gets at most
/// <see cref="TimeoutMilliseconds"/>, then is killed: a stuck hook must not stop the shutdown.
/// Paths and arguments are built at start-up; running it allocates nothing.
/// </summary>
internal sealed unsafe class ShutdownHook
{
    public const int TimeoutMilliseconds = 60_000;
    private static readonly string[] Locations =
        ["/etc/tinyinit/shutdown-hook", "/lib/tinyinit/shutdown-hook", "/etc/dinit/shutdown-hook", "/lib/dinit/shutdown-hook"];

    private readonly byte** _paths;
    private readonly byte** _argv = NativeStrings.PermanentVector(["shutdown-hook", "reboot"]);
    private readonly byte* _poweroff = NativeStrings.Permanent("poweroff");
    private readonly byte* _halt = NativeStrings.Permanent("halt");
    private readonly byte* _reboot = NativeStrings.Permanent("reboot");
    private readonly byte* _soft = NativeStrings.Permanent("soft");

    public ShutdownHook(SystemScope scope)
    {
        _paths = NativeStrings.PermanentVector(Locations.Select(scope.Path).ToArray());
        PlainSpawn.Prepare();
    }

    /// <summary>Runs the hook if there is one; true when it exited 0 (filesystems handled).</summary>
    public bool Run(ShutdownType type, int signalFd)
    {
        byte* path = null;
        for (var i = 0; _paths[i] != null && path == null; i++)
            if (Libc.access(_paths[i], Libc.X_OK) == 0) path = _paths[i];
        if (path == null) return false;
        InitLog.Write("executing shutdown hook"u8);
        _argv[0] = path;
        _argv[1] = type switch
        {
            ShutdownType.PowerOff => _poweroff,
            ShutdownType.Halt => _halt,
            ShutdownType.SoftReboot => _soft,
            _ => _reboot,
        };
        var pid = PlainSpawn.Run(path, _argv);
        if (pid <= 0) return false;
        var status = WaitFor(pid, signalFd);
        if (status != 0) InitLog.Write("shutdown hook failed (wait status "u8, status, ")"u8);
        return status == 0;
    }

    /// <summary>Reaps until the hook has exited; kills it at the time limit. Its wait status (-1 when killed).</summary>
    private static int WaitFor(int hook, int signalFd)
    {
        var deadline = MonotonicClock.Milliseconds + TimeoutMilliseconds;
        var info = new SignalFdInfo();
        while (true)
        {
            int status, pid;
            while ((pid = Libc.waitpid(-1, &status, Libc.WNOHANG)) > 0)
                if (pid == hook) return status;
            if (pid < 0 && Libc.Errno == Libc.ECHILD) return -1;
            if (MonotonicClock.Milliseconds >= deadline)
            {
                InitLog.Write("shutdown hook still running after "u8, TimeoutMilliseconds / 1000, " s: killing it"u8);
                Libc.kill(hook, Libc.SIGKILL);
                Libc.waitpid(hook, &status, 0);
                return -1;
            }
            var fd = new PollFd { Fd = signalFd, Events = Libc.POLLIN };
            Libc.poll(&fd, 1, 100);
            while (Libc.read(signalFd, &info, sizeof(SignalFdInfo)) > 0) { }
        }
    }
}
