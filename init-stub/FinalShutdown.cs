using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// The end of the system, once the manager has stopped the services and exited (or is gone, or
/// the watchdog gave up on it): SIGTERM to everything left, a short grace period while
/// reaping, SIGKILL to the rest; then, when PID 1 looks after a filesystem tree
/// (<see cref="SystemScope"/>), the shutdown hook, or else swapoff and <see cref="Unmounter"/>
/// (unmount in reverse order, read-only remount of what stays busy and of the root); sync(),
/// then reboot(2) with the requested type. kill(-1) and reboot(2) are used only by PID 1 — in
/// any other process they would hit the host. A soft reboot runs the hook ("soft") but unmounts
/// nothing, and re-executes tinyinit instead of rebooting: the mask is still blocked, so the
/// new image skips its own re-exec step. PID 1 never returns from here: when reboot(2) fails it
/// ends in <see cref="HaltLoop"/>.
/// </summary>
internal static unsafe class FinalShutdown
{
    public const int GraceMilliseconds = 3000;
    private const int KillWaitMilliseconds = 2000;

    private static ShutdownHook? _hook;
    private static Unmounter? _unmounter;

    /// <summary>At start-up (allocation allowed): the hook and unmounter for <paramref name="scope"/>, if PID 1 looks after one.</summary>
    public static void Prepare(SystemScope? scope)
    {
        if (scope == null) return;
        _hook = new ShutdownHook(scope);
        _unmounter = new Unmounter(scope);
    }

    /// <summary>Never returns in PID 1; elsewhere returns the exit code for tinyinit.</summary>
    public static int Run(ShutdownType type, int signalFd, SelfImage self)
    {
        var pid1 = Libc.getpid() == 1;
        InitLog.Write("shutting down: "u8, KindName(type));
        if (!pid1)
        {
            InitLog.Write("not PID 1: leaving remaining processes alone and exiting"u8);
            return 0;
        }
        Libc.kill(-1, Libc.SIGTERM);
        Libc.kill(-1, Libc.SIGCONT);
        if (!ReapAll(signalFd, GraceMilliseconds))
        {
            Libc.kill(-1, Libc.SIGKILL);
            ReapAll(signalFd, KillWaitMilliseconds);
        }
        FileSystems(type, signalFd);
        Libc.sync();
        if (type == ShutdownType.SoftReboot)
        {
            Libc.execv(self.Path, self.Argv);
            InitLog.Write("soft reboot: cannot re-execute (errno "u8, Libc.Errno, "); rebooting"u8);
            type = ShutdownType.Reboot;
        }
        Libc.reboot(RebootCommand(type));
        if (type == ShutdownType.Kexec)
        {
            InitLog.Write("kexec failed (errno "u8, Libc.Errno, "); rebooting"u8);
            Libc.reboot(Libc.RB_AUTOBOOT);
        }
        InitLog.Write("reboot(2) failed (errno "u8, Libc.Errno, ")"u8);
        HaltLoop.Forever(signalFd);
        return 111;
    }

    private static void FileSystems(ShutdownType type, int signalFd)
    {
        if (_hook == null || _unmounter == null) return;
        if (_hook.Run(type, signalFd) || type == ShutdownType.SoftReboot) return;
        _unmounter.SwapOff();
        _unmounter.UnmountAll();
    }

    /// <summary>The word an administrator uses for <paramref name="type"/> (as in <c>tinyctl reboot</c>).</summary>
    public static ReadOnlySpan<byte> KindName(ShutdownType type) => type switch
    {
        ShutdownType.Remain => "remain"u8,
        ShutdownType.Halt => "halt"u8,
        ShutdownType.PowerOff => "poweroff"u8,
        ShutdownType.Reboot => "reboot"u8,
        ShutdownType.SoftReboot => "soft-reboot"u8,
        ShutdownType.Kexec => "kexec"u8,
        _ => "unknown type"u8,
    };

    public static uint RebootCommand(ShutdownType type) => type switch
    {
        ShutdownType.PowerOff => Libc.RB_POWER_OFF,
        ShutdownType.Reboot or ShutdownType.SoftReboot => Libc.RB_AUTOBOOT,
        ShutdownType.Kexec => Libc.RB_KEXEC,
        _ => Libc.RB_HALT_SYSTEM,
    };

    /// <summary>Reaps until no child is left (true) or the time is up (false).</summary>
    public static bool ReapAll(int signalFd, int milliseconds)
    {
        var deadline = MonotonicClock.Milliseconds + milliseconds;
        var info = new SignalFdInfo();
        while (true)
        {
            int status;
            int pid;
            while ((pid = Libc.waitpid(-1, &status, Libc.WNOHANG)) > 0) { }
            if (pid < 0 && Libc.Errno == Libc.ECHILD) return true;
            var left = deadline - MonotonicClock.Milliseconds;
            if (left <= 0) return false;
            var fd = new PollFd { Fd = signalFd, Events = Libc.POLLIN };
            Libc.poll(&fd, 1, (int)Math.Min(left, 100));
            while (Libc.read(signalFd, &info, sizeof(SignalFdInfo)) > 0) { }   // only SIGCHLD matters now
        }
    }
}

/// <summary>tinyinit's own path and argv as C strings, built at start-up for a soft reboot.</summary>
internal readonly unsafe struct SelfImage(byte* path, byte** argv)
{
    public byte* Path { get; } = path;
    public byte** Argv { get; } = argv;
}
