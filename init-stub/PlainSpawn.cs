using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// posix_spawn of a helper program (shutdown hook, emergency shell) the way the manager is
/// started: PID 1's descriptors 0–2 (the console), its environment, an empty signal mask and
/// default dispositions (PID 1 blocks the signals it takes from its signalfd). Allocates nothing.
/// </summary>
internal static unsafe class PlainSpawn
{
    private static byte*** _environ;

    /// <summary>At start-up: finds libc's environ once.</summary>
    public static void Prepare()
    {
        if (_environ == null)
            fixed (byte* name = "environ\0"u8) _environ = (byte***)Libc.dlsym(0, name);
    }

    /// <summary>The child's pid, or -1 after logging why not.</summary>
    public static int Run(byte* path, byte** argv)
    {
        byte* attr = stackalloc byte[Libc.SpawnAttrSize];
        Libc.posix_spawnattr_init(attr);
        var empty = new SigSet();
        var all = SigSet.All();
        Libc.posix_spawnattr_setsigmask(attr, &empty);
        Libc.posix_spawnattr_setsigdefault(attr, &all);
        Libc.posix_spawnattr_setflags(attr, Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);
        int pid;
        var error = Libc.posix_spawn(&pid, path, null, attr, argv, _environ == null ? null : *_environ);
        Libc.posix_spawnattr_destroy(attr);
        if (error == 0) return pid;
        InitLog.Write("cannot start a program (errno "u8, error, ")"u8);
        return -1;
    }
}
