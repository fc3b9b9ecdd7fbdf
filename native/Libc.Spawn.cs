using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// posix_spawn: glibc clones with CLONE_VM|CLONE_VFORK and runs only C in the child, so no
/// managed code runs between fork and exec (fork() from C# can hang the child on a pending GC),
/// and exec failures come back synchronously as the return value.
/// </summary>
public static unsafe partial class Libc
{
    public const short POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGDEF = 0x04,
        POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;

    /// <summary>Generous upper bounds of glibc's opaque types (80 and 336 bytes on LP64).</summary>
    public const int SpawnFileActionsSize = 256, SpawnAttrSize = 512;

    [LibraryImport(Lib)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* fa);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* fa);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* fa, int fd, int newFd);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addclose(void* fa, int fd);

    /// <summary>glibc ≥ 2.34: closes every descriptor ≥ <paramref name="lowFd"/> in the child.</summary>
    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* fa, int lowFd);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addopen(void* fa, int fd, byte* path, int flags, int mode);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fa, byte* path);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attr, SigSet* mask);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, SigSet* mask);
}
