using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// The end of <c>tinyinit -u</c>, a user's supervisor (not PID 1, a child subreaper): once the
/// manager has stopped the services and exited (or is gone), stop what is left of tinyinit's
/// OWN descendants — found through /proc by their parent chain, never kill(-1), never
/// reboot(2) — and exit. SIGTERM and SIGCONT first, a grace period while reaping, then SIGKILL
/// to whatever is still there. A soft reboot re-executes tinyinit (a fresh manager and services).
/// Stack buffers only: like PID 1, the supervisor does not allocate after start-up.
/// </summary>
internal static unsafe class UserMode
{
    /// <summary>Exit statuses of <c>tinyinit -u</c>.</summary>
    public const int ExitClean = 0, ExitKilled = 1;

    private const int KillRounds = 20, RoundMilliseconds = 100;
    private const int MaxAncestry = 128;

    /// <summary>Marks the manager as a user's manager (environment read by tinyinitd). Start-up only.</summary>
    public static void MarkManagerEnvironment() =>
        Libc.setenv(NativeStrings.Permanent(InitLinkEnvironment.UserModeVariable), NativeStrings.Permanent("1"), 1);

    /// <summary>Returns tinyinit's exit status: <see cref="ExitClean"/> when everything went on SIGTERM, <see cref="ExitKilled"/> otherwise.</summary>
    public static int End(ShutdownType type, int signalFd, SelfImage self)
    {
        InitLog.Write("user mode: ending ("u8, FinalShutdown.KindName(type), "); stopping what is left of our descendants"u8);
        SignalDescendants(Libc.SIGTERM);
        SignalDescendants(Libc.SIGCONT);
        var status = ExitClean;
        if (!FinalShutdown.ReapAll(signalFd, FinalShutdown.GraceMilliseconds))
        {
            status = ExitKilled;
            InitLog.Write("user mode: some processes ignored SIGTERM; killing them"u8);
            for (var round = 0; round < KillRounds && SignalDescendants(Libc.SIGKILL) > 0; round++)
                if (FinalShutdown.ReapAll(signalFd, RoundMilliseconds)) break;
        }
        if (type == ShutdownType.SoftReboot)
        {
            Libc.execv(self.Path, self.Argv);
            InitLog.Write("soft reboot: cannot re-execute (errno "u8, Libc.Errno, "); exiting"u8);
        }
        return status;
    }

    /// <summary>Sends <paramref name="signal"/> to every live descendant of this process; returns how many there were.</summary>
    private static int SignalDescendants(int signal)
    {
        var self = Libc.getpid();
        var count = 0;
        int proc;
        fixed (byte* path = "/proc\0"u8) proc = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (proc < 0)
        {
            InitLog.Write("user mode: cannot read /proc (errno "u8, Libc.Errno, "); leaving descendants alone"u8);
            return 0;
        }
        var buffer = stackalloc byte[4096];
        nint n;
        while ((n = Libc.getdents64(proc, buffer, 4096)) > 0)
        {
            for (nint offset = 0; offset < n;)
            {
                var recordLength = *(ushort*)(buffer + offset + 16);
                var pid = ParsePid(buffer + offset + 19);
                offset += recordLength;
                if (pid <= 1 || pid == self || !IsDescendant(pid, self)) continue;
                if (Libc.kill(pid, signal) == 0) count++;
            }
        }
        Libc.close(proc);
        return count;
    }

    /// <summary>A /proc entry name as a pid, or 0 when it is not all digits.</summary>
    private static int ParsePid(byte* name)
    {
        var pid = 0;
        for (var i = 0; name[i] != 0; i++)
        {
            if (name[i] is < (byte)'0' or > (byte)'9' || pid > 100_000_000) return 0;
            pid = pid * 10 + (name[i] - '0');
        }
        return pid;
    }

    private static bool IsDescendant(int pid, int ancestor)
    {
        for (var depth = 0; depth < MaxAncestry && pid > 1; depth++)
        {
            pid = ParentOf(pid);
            if (pid == ancestor) return true;
        }
        return false;
    }

    /// <summary>Field 4 of /proc/PID/stat (after the parenthesised command name, which may hold anything); 0 if gone.</summary>
    private static int ParentOf(int pid)
    {
        var path = stackalloc byte[32];
        var length = 0;
        foreach (var b in "/proc/"u8) path[length++] = b;
        length += FormatNumber(pid, path + length);
        foreach (var b in "/stat"u8) path[length++] = b;
        path[length] = 0;
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) return 0;
        var stat = stackalloc byte[512];
        var n = (int)Libc.read(fd, stat, 512);
        Libc.close(fd);
        var close = -1;
        for (var i = 0; i < n; i++) if (stat[i] == (byte)')') close = i;
        // ") S PPID ": the state letter, then the parent's pid.
        var parent = 0;
        for (var i = close + 4; close >= 0 && i < n && stat[i] is >= (byte)'0' and <= (byte)'9'; i++) parent = parent * 10 + (stat[i] - '0');
        return parent;
    }

    private static int FormatNumber(int value, byte* destination)
    {
        var digits = stackalloc byte[12];
        var count = 0;
        do { digits[count++] = (byte)('0' + value % 10); value /= 10; } while (value > 0);
        for (var i = 0; i < count; i++) destination[i] = digits[count - 1 - i];
        return count;
    }
}
