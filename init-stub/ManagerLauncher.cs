using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// Starts the manager with posix_spawn: its end of a fresh SOCK_SEQPACKET socket pair as fd 3,
/// the state hand-off memfd as fd 4, an empty signal mask and default dispositions for every
/// signal (NativeAOT ignores SIGPIPE and init blocks its handled signals; neither may leak into
/// the manager). Path and argv are built once by the constructor and the environment is
/// init's own (libc environ, with the link variables set in it at start-up), so a respawn
/// allocates nothing. All init-side descriptors sit at 10 or above and are close-on-exec.
/// </summary>
internal sealed unsafe class ManagerLauncher
{
    internal const int FirstPrivateFd = 10;

    private readonly byte* _path;
    private readonly byte** _argv;
    private readonly byte*** _environ;
    private readonly int _stateFd;

    /// <param name="stateFd">The state memfd of a previous image of init (after reexec-init), or -1 to create one.</param>
    public ManagerLauncher(string path, string[] arguments, bool kernelArgs, int stateFd = -1)
    {
        _path = NativeStrings.Permanent(path);
        _argv = NativeStrings.PermanentVector([path, .. arguments]);
        PrepareEnvironment(kernelArgs);
        fixed (byte* name = "environ\0"u8) _environ = (byte***)Libc.dlsym(0, name);
        if (_environ == null) InitLog.Write("cannot find the environment (dlsym environ): the manager starts with none"u8);
        _stateFd = stateFd >= 0 ? KeepStateFd(stateFd) : CreateStateFd();
    }

    /// <summary>The state hand-off memfd (-1 if none), kept across manager restarts and reexec-init.</summary>
    public int StateFd => _stateFd;

    private static int KeepStateFd(int fd)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        return fd;
    }

    /// <summary>Starts the manager. Returns 0 with its pid and init's link end, else an errno value.</summary>
    public int Spawn(out int pid, out int linkFd)
    {
        pid = 0;
        linkFd = -1;
        int* pair = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0, pair) != 0) return Libc.Errno;
        var initEnd = MoveHigh(pair[0]);
        var managerEnd = MoveHigh(pair[1]);
        var error = SpawnWith(managerEnd, out pid);
        Libc.close(managerEnd);
        if (error != 0) Libc.close(initEnd);
        else linkFd = initEnd;
        return error;
    }

    private int SpawnWith(int managerEnd, out int pid)
    {
        byte* actions = stackalloc byte[Libc.SpawnFileActionsSize];
        byte* attr = stackalloc byte[Libc.SpawnAttrSize];
        Libc.posix_spawn_file_actions_init(actions);
        Libc.posix_spawnattr_init(attr);
        try
        {
            Libc.posix_spawn_file_actions_adddup2(actions, managerEnd, InitLinkEnvironment.LinkFd);
            if (_stateFd >= 0) Libc.posix_spawn_file_actions_adddup2(actions, _stateFd, InitLinkEnvironment.StateFd);
            var empty = new SigSet();
            var all = SigSet.All();
            Libc.posix_spawnattr_setsigmask(attr, &empty);
            Libc.posix_spawnattr_setsigdefault(attr, &all);
            Libc.posix_spawnattr_setflags(attr, Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);
            int child;
            var error = Libc.posix_spawn(&child, _path, actions, attr, _argv, _environ == null ? null : *_environ);
            pid = error == 0 ? child : 0;
            return error;
        }
        finally
        {
            Libc.posix_spawnattr_destroy(attr);
            Libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    /// <summary>
    /// Puts the link markers into init's own environment (setenv), so the manager gets exactly
    /// init's environment plus them: the current libc environ is passed at each spawn.
    /// </summary>
    private static void PrepareEnvironment(bool kernelArgs)
    {
        SetEnvironment(InitLinkEnvironment.LinkFdVariable, InitLinkEnvironment.LinkFd.ToString());
        SetEnvironment(InitLinkEnvironment.StateFdVariable, InitLinkEnvironment.StateFd.ToString());
        if (kernelArgs) SetEnvironment(InitLinkEnvironment.KernelArgsVariable, "1");
        else Libc.unsetenv(NativeStrings.Permanent(InitLinkEnvironment.KernelArgsVariable));
    }

    private static void SetEnvironment(string name, string value) =>
        Libc.setenv(NativeStrings.Permanent(name), NativeStrings.Permanent(value), 1);

    /// <summary>
    /// The hand-off memfd: init only keeps it open so its contents outlive a manager crash; the
    /// manager owns what is written in it (protocol/InitLink/README.md). -1 if memfd is unavailable.
    /// </summary>
    private static int CreateStateFd()
    {
        var fd = Libc.memfd_create(NativeStrings.Permanent("tinyinit-state"), Libc.MFD_CLOEXEC);
        if (fd < 0) InitLog.Write("no state hand-off descriptor (memfd_create failed, errno "u8, Libc.Errno, ")"u8);
        return fd < 0 ? -1 : MoveHigh(fd);
    }

    /// <summary>Moves a descriptor to FirstPrivateFd or above, so dup2 onto 3 and 4 never clobbers one of ours.</summary>
    private static int MoveHigh(int fd)
    {
        if (fd >= FirstPrivateFd) return fd;
        var high = Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, FirstPrivateFd);
        if (high < 0) return fd;
        Libc.close(fd);
        return high;
    }
}
