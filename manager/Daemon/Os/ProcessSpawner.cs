using System.Runtime.InteropServices;
using System.Text;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Starts processes with posix_spawn (see Libc.Spawn.cs for why not fork). Every child gets
/// an empty signal mask and default dispositions for all signals: the manager blocks the
/// signals it handles, and NativeAOT ignores SIGPIPE, and children would inherit both.
/// Only the mapped descriptors reach the child: everything else above 2 is closed in the child,
/// because not every descriptor in the process is close-on-exec (measured: the runtime leaves a
/// pipe and a /dev/null descriptor inheritable, and tinyinit's link arrives without the flag).
/// </summary>
internal static unsafe class ProcessSpawner
{
    public static SpawnResult Spawn(SpawnRequest request)
    {
        if (request.Argv.Count == 0) return new SpawnResult(0, Libc.ENOENT, false);
        if (request.WorkingDirectory != null && !Directory.Exists(request.WorkingDirectory))
            return new SpawnResult(0, Libc.ENOENT, true);

        var strings = new NativeStrings();
        var fileActions = NativeMemory.AllocZeroed(Libc.SpawnFileActionsSize);
        var attr = NativeMemory.AllocZeroed(Libc.SpawnAttrSize);
        try
        {
            Libc.posix_spawn_file_actions_init(fileActions);
            Libc.posix_spawnattr_init(attr);
            foreach (var (source, target) in request.FdMappings)
            {
                // dup2 onto itself would keep close-on-exec set: go through a temporary.
                if (source == target)
                {
                    var tmp = Libc.fcntl(source, Libc.F_DUPFD_CLOEXEC, 100);
                    if (tmp < 0) return new SpawnResult(0, Libc.Errno, false);
                    strings.TrackFd(tmp);
                    Libc.posix_spawn_file_actions_adddup2(fileActions, tmp, target);
                }
                else
                {
                    Libc.posix_spawn_file_actions_adddup2(fileActions, source, target);
                }
            }
            CloseUnmapped(fileActions, request.FdMappings);
            if (request.WorkingDirectory != null)
                Libc.posix_spawn_file_actions_addchdir_np(fileActions, strings.Add(request.WorkingDirectory));

            var empty = new SigSet();
            var all = AllSignals();
            Libc.posix_spawnattr_setsigmask(attr, &empty);
            Libc.posix_spawnattr_setsigdefault(attr, &all);
            var flags = (short)(Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);
            if (request.NewSession) flags |= Libc.POSIX_SPAWN_SETSID;
            Libc.posix_spawnattr_setflags(attr, flags);

            var argv = strings.AddArray(request.Argv);
            var envp = strings.AddArray(request.Environment);
            int pid;
            var rc = Libc.posix_spawnp(&pid, argv[0], fileActions, attr, argv, envp);
            return rc == 0 ? new SpawnResult(pid, 0, false) : new SpawnResult(0, rc, false);
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(fileActions);
            Libc.posix_spawnattr_destroy(attr);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attr);
            strings.Dispose();
        }
    }

    /// <summary>Closes, in the child, every descriptor above 2 that is not a mapping target.</summary>
    private static void CloseUnmapped(void* fileActions, IReadOnlyList<(int Source, int Target)> mappings)
    {
        var highest = 2;
        foreach (var (_, target) in mappings) highest = Math.Max(highest, target);
        for (var fd = 3; fd <= highest; fd++)
        {
            var mapped = false;
            foreach (var (_, target) in mappings) mapped |= target == fd;
            if (!mapped) Libc.posix_spawn_file_actions_addclose(fileActions, fd); // EBADF in the child is ignored
        }
        Libc.posix_spawn_file_actions_addclosefrom_np(fileActions, highest + 1);
    }

    private static SigSet AllSignals()
    {
        var set = new SigSet();
        for (var s = 1; s < 65; s++)
            if (s != Libc.SIGKILL && s != Libc.SIGSTOP) set.Add(s);
        return set;
    }

    /// <summary>Native, NUL-terminated copies of strings that live until the spawn returns.</summary>
    private sealed class NativeStrings : IDisposable
    {
        private readonly List<nint> _blocks = [];
        private readonly List<int> _fds = [];

        public byte* Add(string s)
        {
            var count = Encoding.UTF8.GetByteCount(s);
            var p = (byte*)NativeMemory.Alloc((nuint)count + 1);
            Encoding.UTF8.GetBytes(s, new Span<byte>(p, count));
            p[count] = 0;
            _blocks.Add((nint)p);
            return p;
        }

        public byte** AddArray(IReadOnlyList<string> items)
        {
            var array = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(nint));
            _blocks.Add((nint)array);
            for (var i = 0; i < items.Count; i++) array[i] = Add(items[i]);
            array[items.Count] = null;
            return array;
        }

        public void TrackFd(int fd) => _fds.Add(fd);

        public void Dispose()
        {
            foreach (var b in _blocks) NativeMemory.Free((void*)b);
            foreach (var fd in _fds) Libc.close(fd);
        }
    }
}
