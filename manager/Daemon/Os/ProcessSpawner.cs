using System.Runtime.InteropServices;
using System.Text;
using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Starts processes through the C launcher (native/launcher, <see cref="Launcher"/>): it clones
/// with CLONE_VM|CLONE_VFORK and applies the request's settings in the child in the spec's
/// order, so no managed code runs between fork and exec, and a failure comes back
/// synchronously with the step that failed. Every child gets default dispositions for all
/// signals and an empty signal mask (the manager blocks the signals it handles, NativeAOT
/// ignores SIGPIPE; children would inherit both). Only the mapped descriptors reach the child:
/// everything else above 2 is closed there, because not every descriptor in the process is
/// close-on-exec (the runtime leaves a pipe and /dev/null inheritable, tinyinit's link arrives
/// without the flag).
/// </summary>
internal static unsafe class ProcessSpawner
{
    public static SpawnResult Spawn(SpawnRequest request)
    {
        if (request.Argv.Count == 0) return new SpawnResult(0, Libc.ENOENT, ExecStage.DoExec);
        using var memory = new NativeBlocks();
        var native = new LaunchRequest
        {
            Argv = memory.AddArray(request.Argv),
            Envp = memory.AddArray(request.Environment),
            WorkingDir = request.WorkingDirectory == null ? null : memory.Add(request.WorkingDirectory),
            FdMapCount = request.FdMappings.Count,
            NewSession = request.NewSession ? 1 : 0,
            SetListenPid = request.SetListenPid ? 1 : 0,
            ConsoleFd = -1,
        };
        var fdMap = (int*)memory.Alloc(request.FdMappings.Count * 2 * sizeof(int));
        for (var i = 0; i < request.FdMappings.Count; i++)
            (fdMap[2 * i], fdMap[2 * i + 1]) = request.FdMappings[i];
        native.FdMap = fdMap;
        ApplyLimits(request, ref native, memory);
        ApplyIdentity(request, ref native, memory);
        ApplyPrivileges(request, ref native, memory);

        int pid, stage;
        var errno = Launcher.Spawn(&native, &pid, &stage);
        return errno == 0 ? new SpawnResult(pid, 0, 0) : new SpawnResult(0, errno, (ushort)stage);
    }

    private static void ApplyLimits(SpawnRequest request, ref LaunchRequest native, NativeBlocks memory)
    {
        var limits = (LaunchRlimit*)memory.Alloc(request.Rlimits.Count * sizeof(LaunchRlimit));
        for (var i = 0; i < request.Rlimits.Count; i++)
        {
            var (resource, soft, hard) = request.Rlimits[i];
            limits[i] = new LaunchRlimit { Resource = resource, Soft = ToNative(soft), Hard = ToNative(hard) };
        }
        native.Rlimits = limits;
        native.RlimitCount = request.Rlimits.Count;
        if (request.Nice is { } nice) (native.SetNice, native.Nice) = (1, nice);
        if (request.IoPriority is { } ioprio) (native.SetIoprio, native.Ioprio) = (1, ioprio);
        if (request.OomScoreAdj is { } oom) (native.SetOomScoreAdj, native.OomScoreAdj) = (1, oom);
    }

    private static ulong ToNative(ulong? half) => half switch
    {
        null => Launcher.RlimKeep,
        // ulong.MaxValue is "unlimited"; a finite limit this large means the same to the kernel.
        >= Launcher.RlimInfinity => Launcher.RlimInfinity,
        { } value => value,
    };

    private static void ApplyIdentity(SpawnRequest request, ref LaunchRequest native, NativeBlocks memory)
    {
        if (request.Identity is not { } identity) return;
        var groups = (uint*)memory.Alloc(identity.Groups.Count * sizeof(uint));
        for (var i = 0; i < identity.Groups.Count; i++) groups[i] = identity.Groups[i];
        (native.SetIds, native.Uid, native.Gid, native.GroupCount) = (1, identity.Uid, identity.Gid, identity.Groups.Count);
        native.Groups = groups;
    }

    private static void ApplyPrivileges(SpawnRequest request, ref LaunchRequest native, NativeBlocks memory)
    {
        if (request.Privileges is not { } p) return;
        if (p.OnConsole)
            (native.ConsoleFd, native.ConsoleForeground, native.UnmaskIntr) = (PrivilegeSettings.ConsoleFd, p.ConsoleForeground ? 1 : 0, p.UnmaskIntr ? 1 : 0);
        if (p.CgroupDirectory != null) native.CgroupDir = memory.Add(p.CgroupDirectory);
        if (p.Capabilities is { } caps)
            (native.SetCaps, native.CapInheritable, native.CapAmbient, native.CapBoundingDrop) = (1, caps.Inheritable, caps.Ambient, caps.BoundingDrop);
        if (p.SecureBits != 0) (native.SetSecurebits, native.Securebits) = (1, p.SecureBits);
        native.NoNewPrivs = p.NoNewPrivs ? 1 : 0;
    }

    /// <summary>Native memory (C strings, vectors, arrays) that lives until the spawn returns.</summary>
    private sealed class NativeBlocks : IDisposable
    {
        private readonly List<nint> _blocks = [];

        public void* Alloc(int bytes)
        {
            var p = NativeMemory.Alloc((nuint)Math.Max(bytes, 1));
            _blocks.Add((nint)p);
            return p;
        }

        public byte* Add(string s)
        {
            var count = Encoding.UTF8.GetByteCount(s);
            var p = (byte*)Alloc(count + 1);
            Encoding.UTF8.GetBytes(s, new Span<byte>(p, count));
            p[count] = 0;
            return p;
        }

        public byte** AddArray(IReadOnlyList<string> items)
        {
            var array = (byte**)Alloc((items.Count + 1) * sizeof(nint));
            for (var i = 0; i < items.Count; i++) array[i] = Add(items[i]);
            array[items.Count] = null;
            return array;
        }

        public void Dispose()
        {
            foreach (var b in _blocks) NativeMemory.Free((void*)b);
        }
    }
}
