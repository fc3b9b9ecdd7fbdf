using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// RLIMIT_NOFILE for init itself. The parked-descriptor table needs room above the usual soft
/// limit (1024 at a kernel boot), so init raises its soft limit towards the hard one at
/// start-up; the manager — and through it every service — must still start with the limit
/// init was given, so it is lowered around each spawn (init is single-threaded: nothing opens a
/// descriptor meanwhile, and descriptors already open above a lowered limit stay valid).
/// </summary>
internal static unsafe class FdLimit
{
    private static RLimit _original;
    private static RLimit _raised;
    private static bool _changed;

    /// <summary>Raises the soft limit to at least <paramref name="wanted"/> (capped at the hard limit); returns the soft limit now in force.</summary>
    public static int Raise(int wanted)
    {
        RLimit limit;
        if (Libc.getrlimit(Libc.RLIMIT_NOFILE, &limit) != 0) return 1024;
        _original = limit;
        if (limit.Current >= (ulong)wanted) return ToInt(limit.Current);
        var raised = new RLimit { Current = Math.Min((ulong)wanted, limit.Maximum), Maximum = limit.Maximum };
        if (Libc.setrlimit(Libc.RLIMIT_NOFILE, &raised) != 0) return ToInt(limit.Current);
        _raised = raised;
        _changed = true;
        return ToInt(raised.Current);
    }

    /// <summary>Before spawning a child: give it the limit init was started with.</summary>
    public static void LowerForChild()
    {
        if (!_changed) return;
        var original = _original;
        Libc.setrlimit(Libc.RLIMIT_NOFILE, &original);
    }

    /// <summary>After the spawn: init's own raised limit again.</summary>
    public static void RestoreAfterChild()
    {
        if (!_changed) return;
        var raised = _raised;
        Libc.setrlimit(Libc.RLIMIT_NOFILE, &raised);
    }

    private static int ToInt(ulong value) => value > int.MaxValue ? int.MaxValue : (int)value;
}
