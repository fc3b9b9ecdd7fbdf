using System.Runtime.InteropServices;

namespace Tinyinit.Ctl.Interop;

/// <summary>
/// Runs a program to completion with posix_spawnp(3) and waitpid(2), for dinit-monitor's
/// notification command and shutdown's swapoff/umount/hook. System.Diagnostics.Process would do,
/// but it drags sockets, pipes and URIs into the binary, whose static data every tinyctl run then
/// pays for before Main (issue 8: callgrind, tinyctl --version 1.42M → 1.22M instructions).
/// </summary>
internal static unsafe partial class ChildProcess
{
    private const int SIGPIPE = 13;
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;

    private static readonly nint EnvironAddress = NativeLibrary.GetExport(NativeLibrary.GetMainProgramHandle(), "environ");

    /// <summary>
    /// Exit status, or 128 + N after death by signal N (as Process.ExitCode reports it); a
    /// negative errno when the program could not be started (not found, not executable).
    /// </summary>
    public static int Run(IReadOnlyList<string> argv)
    {
        var strings = new nint[argv.Count + 1];
        // glibc's posix_spawnattr_t is 336 bytes, musl's smaller; sigset_t is 128 bytes in both.
        var attributes = stackalloc byte[512];
        var defaults = stackalloc byte[128];
        try
        {
            for (var i = 0; i < argv.Count; i++) strings[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            posix_spawnattr_init(attributes);
            // The runtime ignores SIGPIPE; an ignored signal survives exec, so give the child the default back.
            defaults[(SIGPIPE - 1) / 8] |= (byte)(1 << ((SIGPIPE - 1) % 8));
            posix_spawnattr_setsigdefault(attributes, defaults);
            posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGDEF);
            int pid;
            fixed (nint* argvPointer = strings)
            {
                var error = posix_spawnp(&pid, strings[0], null, attributes, argvPointer, *(nint**)EnvironAddress);
                if (error != 0) return -error;
            }
            int status;
            while (waitpid(pid, &status, 0) < 0)
                if (Marshal.GetLastPInvokeError() != Libc.EINTR) return -Marshal.GetLastPInvokeError();
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        }
        finally
        {
            posix_spawnattr_destroy(attributes);
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    [LibraryImport("libc")]
    private static partial int posix_spawnp(int* pid, nint file, void* fileActions, byte* attributes, nint* argv, nint* envp);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_init(byte* attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigdefault(byte* attributes, byte* signals);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setflags(byte* attributes, short flags);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_destroy(byte* attributes);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);
}
