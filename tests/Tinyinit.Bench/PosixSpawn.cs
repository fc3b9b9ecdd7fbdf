using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tinyinit.Bench;

/// <summary>
/// Runs a program to completion with posix_spawn(3) and waitpid(2), stdout and stderr to
/// /dev/null, and times it. Process.Start costs several milliseconds of its own (pipes, a reaper
/// thread, managed bookkeeping), as much as the 1–5 ms start-ups being compared, so it would
/// flatten every ratio.
/// </summary>
internal static unsafe partial class PosixSpawn
{
    private const int O_WRONLY = 1;
    private const int EINTR = 4;

    /// <summary>Wall time in milliseconds and the exit status (-1 if killed by a signal).</summary>
    public static (double Milliseconds, int ExitStatus) Time(string path, IReadOnlyList<string> args)
    {
        var argv = new nint[args.Count + 2];
        argv[0] = Marshal.StringToCoTaskMemUTF8(path);
        for (var i = 0; i < args.Count; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
        var devNull = Marshal.StringToCoTaskMemUTF8("/dev/null");
        // posix_spawn_file_actions_t is 80 bytes in glibc; more room is harmless.
        var actions = stackalloc byte[256];
        try
        {
            posix_spawn_file_actions_init(actions);
            posix_spawn_file_actions_addopen(actions, 1, devNull, O_WRONLY, 0);
            posix_spawn_file_actions_addopen(actions, 2, devNull, O_WRONLY, 0);
            int pid, status;
            var start = Stopwatch.GetTimestamp();
            fixed (nint* argvPointer = argv)
            {
                var error = posix_spawn(&pid, argv[0], actions, null, argvPointer, environ);
                if (error != 0) throw new InvalidOperationException($"posix_spawn {path}: errno {error}");
            }
            while (waitpid(pid, &status, 0) < 0)
                if (Marshal.GetLastPInvokeError() != EINTR) throw new InvalidOperationException($"waitpid: errno {Marshal.GetLastPInvokeError()}");
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return (elapsed, (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1);
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            foreach (var p in argv) Marshal.FreeCoTaskMem(p);
            Marshal.FreeCoTaskMem(devNull);
        }
    }

    private static readonly nint EnvironAddress = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "environ");

    private static nint* environ => *(nint**)EnvironAddress;

    [LibraryImport("libc")]
    private static partial int posix_spawn(int* pid, nint path, byte* fileActions, byte* attributes, nint* argv, nint* envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addopen(byte* actions, int fd, nint path, int flags, int mode);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);
}
