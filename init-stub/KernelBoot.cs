using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Was tinyinit started by the kernel (init=/sbin/tinyinit), so that its arguments are kernel
/// command-line words? The test: PID 1 AND in the initial PID namespace. The initial namespace
/// is recognised by /proc/self/ns/pid naming the fixed inode PROC_PID_INIT_INO (4026531836);
/// if /proc is not mounted the answer is also yes, because the kernel never mounts /proc for
/// init while `unshare --mount-proc` and container runtimes do. (getppid() == 0 cannot tell:
/// PID 1 of a child namespace sees 0 as well.)
/// </summary>
internal static unsafe class KernelBoot
{
    private static ReadOnlySpan<byte> InitialNamespace => "pid:[4026531836]"u8;

    public static bool Detect()
    {
        if (Libc.getpid() != 1) return false;
        var buffer = stackalloc byte[64];
        fixed (byte* path = "/proc/self/ns/pid\0"u8)
        {
            var n = Libc.readlink(path, buffer, 64);
            if (n < 0) return true;
            return new ReadOnlySpan<byte>(buffer, (int)n).SequenceEqual(InitialNamespace);
        }
    }

    /// <summary>
    /// Positively in the initial PID namespace (/proc readable and naming it): the condition for
    /// anything that would reach a host from a container, such as remounting "/" read-only.
    /// </summary>
    public static bool InInitialNamespace()
    {
        var buffer = stackalloc byte[64];
        fixed (byte* path = "/proc/self/ns/pid\0"u8)
        {
            var n = Libc.readlink(path, buffer, 64);
            return n > 0 && new ReadOnlySpan<byte>(buffer, (int)n).SequenceEqual(InitialNamespace);
        }
    }
}
