using System.Runtime.InteropServices;

namespace Tinyinit.Loader;

/// <summary>
/// <see cref="IUserDatabase"/> through libc (getpwnam_r & co., so NSS modules are honoured as in
/// the reference). Struct layouts are glibc/musl on 64-bit Linux.
/// </summary>
public sealed unsafe partial class SystemUserDatabase : IUserDatabase
{
    public static readonly SystemUserDatabase Instance = new();

    private SystemUserDatabase() { }

    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public byte* Name, Password;
        public uint Uid, Gid;
        public byte* Gecos, Dir, Shell;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public byte* Name, Password;
        public uint Gid;
        public byte** Members;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getpwnam_r(string name, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    [LibraryImport("libc")]
    private static partial int getpwuid_r(uint uid, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getgrnam_r(string name, Group* grp, byte* buf, nuint buflen, Group** result);

    [LibraryImport("libc")] private static partial uint getuid();
    [LibraryImport("libc")] private static partial uint getgid();
    [LibraryImport("libc")] private static partial uint geteuid();

    private const int ERANGE = 34;

    public int RealUid => (int)getuid();
    public int RealGid => (int)getgid();
    public int EffectiveUid => (int)geteuid();

    public PasswdEntry? UserByName(string name) =>
        name.Contains('\0') ? null : LookupUser((p, buf, len, res) => getpwnam_r(name, p, buf, len, res));

    public PasswdEntry? UserById(int uid) =>
        LookupUser((p, buf, len, res) => getpwuid_r((uint)uid, p, buf, len, res));

    private delegate int PwLookup(Passwd* pwd, byte* buf, nuint len, Passwd** result);

    private static PasswdEntry? LookupUser(PwLookup lookup)
    {
        for (nuint size = 1024; size <= 1 << 20; size *= 4)
        {
            var buf = new byte[size];
            fixed (byte* b = buf)
            {
                Passwd pwd;
                Passwd* result = null;
                var rc = lookup(&pwd, b, size, &result);
                if (rc == ERANGE) continue;
                if (rc != 0 || result == null) return null;
                return new PasswdEntry(Str(pwd.Name), (int)pwd.Uid, (int)pwd.Gid, Str(pwd.Dir), Str(pwd.Shell));
            }
        }
        return null;
    }

    public int? GroupByName(string name)
    {
        if (name.Contains('\0')) return null;
        for (nuint size = 1024; size <= 1 << 20; size *= 4)
        {
            var buf = new byte[size];
            fixed (byte* b = buf)
            {
                Group grp;
                Group* result = null;
                var rc = getgrnam_r(name, &grp, b, size, &result);
                if (rc == ERANGE) continue;
                if (rc != 0 || result == null) return null;
                return (int)grp.Gid;
            }
        }
        return null;
    }

    private static string Str(byte* p) => p == null ? "" : Marshal.PtrToStringUTF8((nint)p) ?? "";
}
