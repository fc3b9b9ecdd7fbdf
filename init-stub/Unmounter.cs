using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// The filesystem part of the final shutdown, once every other process is gone: swap off (the
/// whole system only), then every filesystem of the scope unmounted in reverse mount order,
/// repeated while a pass makes progress (a mount can be busy only because of one above it);
/// what stays busy is remounted read-only, and so is the root, which cannot be unmounted.
/// API filesystems (/proc, /sys, /dev, /run and kernel types such as cgroup) are left alone:
/// they hold no data, and PID 1 still reads /proc. Everything is logged, nothing is fatal.
/// </summary>
internal sealed unsafe class Unmounter(SystemScope scope)
{
    private const int MaxPasses = 4;

    private readonly MountTable _table = new();
    private readonly bool[] _done = new bool[MountTable.MaxEntries];

    public void SwapOff()
    {
        if (!scope.WholeSystem || !_table.ReadSwaps()) return;
        for (var i = 0; i < _table.Count; i++)
            if (Libc.swapoff(_table.PathPointer(i)) != 0) InitLog.Write("swapoff failed (errno "u8, Libc.Errno, "): "u8, _table.Path(i));
    }

    public void UnmountAll()
    {
        if (!_table.ReadMounts())
        {
            InitLog.Write("cannot read /proc/self/mountinfo: filesystems left mounted"u8);
            return;
        }
        var count = _table.Count;
        for (var i = 0; i < count; i++) _done[i] = !ToUnmount(i);
        for (var pass = 0; pass < MaxPasses && UnmountPass(count); pass++) { }
        for (var i = count - 1; i >= 0; i--)
            if (!_done[i] && !IsRoot(i)) RemountReadOnly(_table.PathPointer(i), _table.Path(i));
        fixed (byte* root = scope.RootPath) RemountReadOnly(root, scope.RootPath.AsSpan(0, scope.RootPath.Length - 1));
    }

    /// <summary>One pass in reverse mount order; true if something was unmounted.</summary>
    private bool UnmountPass(int count)
    {
        var progress = false;
        for (var i = count - 1; i >= 0; i--)
        {
            if (_done[i] || Libc.umount2(_table.PathPointer(i), 0) != 0) continue;
            _done[i] = true;
            progress = true;
        }
        return progress;
    }

    private static void RemountReadOnly(byte* path, ReadOnlySpan<byte> text)
    {
        if (Libc.mount(null, path, null, Libc.MS_REMOUNT | Libc.MS_RDONLY, null) == 0)
            InitLog.Write("remounted read-only: "u8, text);
        else
            InitLog.Write("cannot remount read-only (errno "u8, Libc.Errno, "): "u8, text);
    }

    private bool IsRoot(int i) => Relative(_table.Path(i)).SequenceEqual("/"u8);

    /// <summary>In the scope, not the root, not an API filesystem.</summary>
    private bool ToUnmount(int i)
    {
        var relative = Relative(_table.Path(i));
        if (relative.Length == 0 || IsRoot(i)) return false;
        return !IsApiMountPoint(relative) && !IsApiType(_table.Type(i));
    }

    /// <summary>The mount point as seen from the scope's root ("/" for the root itself); empty when outside the scope.</summary>
    private ReadOnlySpan<byte> Relative(ReadOnlySpan<byte> path)
    {
        var prefix = scope.Prefix;
        if (prefix.Length == 0) return path;
        if (!path.StartsWith(prefix)) return [];
        var rest = path[prefix.Length..];
        if (rest.Length == 0) return "/"u8;
        return rest[0] == '/' ? rest : [];
    }

    private static bool IsApiMountPoint(ReadOnlySpan<byte> p) =>
        p.SequenceEqual("/proc"u8) || p.SequenceEqual("/sys"u8) || p.SequenceEqual("/dev"u8) || p.SequenceEqual("/run"u8) ||
        p.StartsWith("/proc/"u8) || p.StartsWith("/sys/"u8) || p.StartsWith("/dev/"u8);

    private static bool IsApiType(ReadOnlySpan<byte> t) =>
        t.SequenceEqual("proc"u8) || t.SequenceEqual("sysfs"u8) || t.SequenceEqual("devtmpfs"u8) || t.SequenceEqual("devpts"u8) ||
        t.SequenceEqual("cgroup"u8) || t.SequenceEqual("cgroup2"u8) || t.SequenceEqual("securityfs"u8) || t.SequenceEqual("debugfs"u8) ||
        t.SequenceEqual("tracefs"u8) || t.SequenceEqual("pstore"u8) || t.SequenceEqual("bpf"u8) || t.SequenceEqual("mqueue"u8) ||
        t.SequenceEqual("hugetlbfs"u8) || t.SequenceEqual("configfs"u8) || t.SequenceEqual("fusectl"u8) ||
        t.SequenceEqual("efivarfs"u8) || t.SequenceEqual("binfmt_misc"u8) || t.SequenceEqual("autofs"u8);
}
