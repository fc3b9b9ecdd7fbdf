using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// tinyinit's C launcher (native/launcher, interface launch.h): the child-side steps of a
/// launch that managed code cannot run between fork and exec. In the NativeAOT tinyinitd it is
/// a static library bound at link time (DirectPInvoke); under the JIT (tests) the same import
/// loads libtinyinit_launcher.so from the application directory (native/launcher/Launcher.targets).
/// </summary>
public static unsafe partial class Launcher
{
    private const string Lib = "libtinyinit_launcher";

    /// <summary>launch.h TI_RLIM_KEEP / TI_RLIM_INFINITY.</summary>
    public const ulong RlimKeep = ulong.MaxValue, RlimInfinity = ulong.MaxValue - 1;

    /// <summary>0 with the child's pid once exec succeeded; otherwise the errno and the failed stage (ExecStage numbers).</summary>
    [LibraryImport(Lib, EntryPoint = "ti_launch_spawn")]
    public static partial int Spawn(LaunchRequest* request, int* pid, int* stage);

    /// <summary>sizeof(struct ti_launch) as the C compiler laid it out.</summary>
    [LibraryImport(Lib, EntryPoint = "ti_launch_size")]
    public static partial int NativeRequestSize();
}

/// <summary>struct ti_rlimit (launch.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct LaunchRlimit
{
    public int Resource;
    private int _pad;
    public ulong Soft, Hard;
}

/// <summary>struct ti_launch (launch.h), field for field; every zero/null means "leave as is" except ConsoleFd (-1).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LaunchRequest
{
    public byte** Argv;
    public byte** Envp;
    public byte* WorkingDir;

    public int* FdMap;
    public int FdMapCount;

    public int NewSession;
    public int SetListenPid;

    public int ConsoleFd;
    public int ConsoleForeground;
    public int UnmaskIntr;

    public LaunchRlimit* Rlimits;
    public int RlimitCount;
    public int SetNice, Nice;
    public int SetIoprio, Ioprio;
    public int SetOomScoreAdj, OomScoreAdj;

    public byte* CgroupDir;

    public int SetIds;
    public uint Uid, Gid;
    public uint* Groups;
    public int GroupCount;

    public int SetCaps;
    public ulong CapInheritable, CapAmbient;
    public int SetSecurebits;
    public uint Securebits;
    public int NoNewPrivs;
    private int _pad2;
    public ulong CapBoundingDrop;
}
