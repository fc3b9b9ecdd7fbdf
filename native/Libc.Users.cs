using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>The user and group databases (the _r forms, so NSS modules are honoured).</summary>
public static unsafe partial class Libc
{
    [LibraryImport(Lib)]
    public static partial int getpwnam_r(byte* name, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    [LibraryImport(Lib)]
    public static partial int getpwuid_r(uint uid, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    /// <summary>The groups of <paramref name="user"/> as initgroups would set them (-1 and the needed count in *ngroups when too small).</summary>
    [LibraryImport(Lib)]
    public static partial int getgrouplist(byte* user, uint group, uint* groups, int* ngroups);

    [LibraryImport(Lib)]
    public static partial uint getegid();

    [LibraryImport(Lib)]
    public static partial int getgrnam_r(byte* name, Group* grp, byte* buf, nuint buflen, Group** result);
}

/// <summary>struct passwd (glibc, LP64).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Passwd
{
    public byte* Name, Password;
    public uint Uid, Gid;
    public byte* Gecos, Dir, Shell;
}

/// <summary>struct group (glibc, LP64).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Group
{
    public byte* Name, Password;
    public uint Gid;
    public byte** Members;
}
