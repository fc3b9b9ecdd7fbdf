using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// What a kernel-booted PID 1 does before the manager starts, so that services find a usable
/// system: /proc, /sys, /dev (devtmpfs) and /run (tmpfs, 0755) mounted, /dev/console and
/// /dev/null present. Anything already mounted (by an initramfs) is left as it is: a path counts
/// as mounted when it is on another device than the root. /run is mounted here, before the
/// manager opens its control socket there, so no later mount can hide the socket. Every
/// failure is logged and boot goes on: the manager may still cope.
/// </summary>
internal static unsafe class BootDuties
{
    private const uint ConsoleMajor = 5, ConsoleMinor = 1, NullMajor = 1, NullMinor = 3;

    public static void Run(SystemScope scope)
    {
        var root = scope.Path("/");
        MountIfMissing(scope, root, "/proc", "proc", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, null);
        MountIfMissing(scope, root, "/sys", "sysfs", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, null);
        MountIfMissing(scope, root, "/dev", "devtmpfs", Libc.MS_NOSUID, "mode=0755");
        MakeNodeIfMissing(scope.Path("/dev/console"), 0600, ConsoleMajor, ConsoleMinor);
        MakeNodeIfMissing(scope.Path("/dev/null"), 0666, NullMajor, NullMinor);
        MountIfMissing(scope, root, "/run", "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV, "mode=0755");
    }

    private static void MountIfMissing(SystemScope scope, string root, string where, string type, nuint flags, string? options)
    {
        var path = scope.Path(where);
        if (IsMountPoint(path, root)) return;
        var target = NativeStrings.NullTerminated(path);
        var fsType = NativeStrings.NullTerminated(type);
        var data = options == null ? null : NativeStrings.NullTerminated(options);
        fixed (byte* t = target, f = fsType, d = data)
        {
            Libc.mkdir(t, 0755);        // usually there already; an error shows in the mount below
            if (Libc.mount(f, t, f, flags, d) == 0) return;
            InitLog.Write("boot: cannot mount "u8, NativeStrings.Utf8(type + " on " + path + " (errno " + Libc.Errno + ")"));
        }
    }

    /// <summary>True when <paramref name="path"/> is on another device than <paramref name="root"/> (something is mounted there).</summary>
    private static bool IsMountPoint(string path, string root)
    {
        if (Libc.statx(path, out var at) != 0 || Libc.statx(root, out var top) != 0) return false;
        return at.DeviceMajor != top.DeviceMajor || at.DeviceMinor != top.DeviceMinor;
    }

    /// <summary>Creates a character device node when no file is there (a /dev that devtmpfs could not fill).</summary>
    private static void MakeNodeIfMissing(string path, uint mode, uint major, uint minor)
    {
        if (Libc.statx(path, out _) == 0) return;
        var p = NativeStrings.NullTerminated(path);
        fixed (byte* node = p)
        {
            if (Libc.mknod(node, Libc.S_IFCHR | mode, Libc.MakeDevice(major, minor)) != 0)
                InitLog.Write("boot: cannot create "u8, NativeStrings.Utf8(path + " (errno " + Libc.Errno + ")"));
        }
    }
}
