using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// A shell on the console for a kernel-booted system whose manager cannot be started (missing,
/// not executable, or start-up of PID 1 itself broke): better than a machine that only retries
/// or halts. The program is <c>$TINYINIT_EMERGENCY_SHELL</c> (empty: none), else /bin/sh if it
/// is executable; it is started again when it exits, at most once per manager retry. PID 1
/// keeps retrying the manager meanwhile.
/// </summary>
internal sealed unsafe class EmergencyShell
{
    public const string Variable = "TINYINIT_EMERGENCY_SHELL";
    private const string DefaultPath = "/bin/sh";

    private readonly byte* _path;
    private readonly byte** _argv;

    private EmergencyShell(string path)
    {
        _argv = NativeStrings.PermanentVector([path]);
        _path = _argv[0];
        PlainSpawn.Prepare();
    }

    public int Pid { get; private set; }

    /// <summary>The shell for a kernel boot (null otherwise, or when the variable is set empty).</summary>
    public static EmergencyShell? For(bool kernelBoot)
    {
        if (!kernelBoot) return null;
        var path = Environment.GetEnvironmentVariable(Variable) ?? DefaultPath;
        return path == "" ? null : new EmergencyShell(path);
    }

    public void StartIfIdle()
    {
        if (Pid > 0 || Libc.access(_path, Libc.X_OK) != 0) return;
        var length = 0;
        while (_path[length] != 0) length++;
        InitLog.Write("starting an emergency shell on the console: "u8, new ReadOnlySpan<byte>(_path, length));
        var pid = PlainSpawn.Run(_path, _argv);
        Pid = pid > 0 ? pid : 0;
    }

    /// <summary>True (and ready to start again) when <paramref name="pid"/> was the shell.</summary>
    public bool Exited(int pid)
    {
        if (pid != Pid || pid <= 0) return false;
        Pid = 0;
        return true;
    }
}
