using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// pidfd_open(2) and pidfd_send_signal(2): a descriptor that names one process for good, so a
/// process that is not our child (re-adopted after a manager crash) is never confused with a
/// later process given the same pid. Through syscall(2): glibc before 2.36 and musl have no
/// wrappers; the numbers are the same on every architecture (asm-generic, Linux 5.3).
/// </summary>
public static unsafe partial class Libc
{
    private const nint SYS_pidfd_send_signal = 424, SYS_pidfd_open = 434;

    [LibraryImport(Lib, SetLastError = true, EntryPoint = "syscall")]
    private static partial nint syscall4(nint number, nint a, nint b, nint c, nint d);

    /// <returns>A close-on-exec descriptor for <paramref name="pid"/>, or -1 (errno: ESRCH when it does not exist).</returns>
    public static int pidfd_open(int pid) => (int)syscall4(SYS_pidfd_open, pid, 0, 0, 0);

    /// <returns>0, or -1 (errno ESRCH: the process has exited).</returns>
    public static int pidfd_send_signal(int pidfd, int signal) => (int)syscall4(SYS_pidfd_send_signal, pidfd, signal, 0, 0);
}
