using System.Runtime.InteropServices;
using Tinyinit.Native;

namespace Tinyinit.Ctl.Os;

/// <summary>
/// Runs a program to completion with posix_spawnp(3) and waitpid(2), for dinit-monitor's
/// notification command and shutdown's swapoff/umount/hook. System.Diagnostics.Process would do,
/// but it drags sockets, pipes and URIs into the binary, whose static data every tinyctl run then
/// pays for before Main (issue 8: callgrind, tinyctl --version 1.42M → 1.22M instructions).
/// </summary>
internal static unsafe class ChildProcess
{
    private static readonly nint EnvironAddress = NativeLibrary.GetExport(NativeLibrary.GetMainProgramHandle(), "environ");

    /// <summary>
    /// Exit status, or 128 + N after death by signal N (as Process.ExitCode reports it); a
    /// negative errno when the program could not be started (not found, not executable).
    /// </summary>
    public static int Run(IReadOnlyList<string> argv)
    {
        var strings = new nint[argv.Count + 1];
        var attributes = stackalloc byte[Libc.SpawnAttrSize];
        try
        {
            for (var i = 0; i < argv.Count; i++) strings[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            Libc.posix_spawnattr_init(attributes);
            // The runtime ignores SIGPIPE; an ignored signal survives exec, so give the child the default back.
            var defaults = SigSet.Of([Libc.SIGPIPE]);
            Libc.posix_spawnattr_setsigdefault(attributes, &defaults);
            Libc.posix_spawnattr_setflags(attributes, Libc.POSIX_SPAWN_SETSIGDEF);
            int pid;
            fixed (nint* argvPointer = strings)
            {
                var error = Libc.posix_spawnp(&pid, (byte*)strings[0], null, attributes, (byte**)argvPointer, *(byte***)EnvironAddress);
                if (error != 0) return -error;
            }
            int status;
            while (Libc.waitpid(pid, &status, 0) < 0)
                if (Libc.Errno != Libc.EINTR) return -Libc.Errno;
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        }
        finally
        {
            Libc.posix_spawnattr_destroy(attributes);
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }
}
