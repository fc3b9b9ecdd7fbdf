using System.Runtime.InteropServices;
using Tinyinit.Native;

namespace Tinyinit.Loader;

/// <summary>
/// <see cref="IUserDatabase"/> through libc (getpwnam_r & co., so NSS modules are honoured as in
/// the reference). Struct layouts are glibc/musl on 64-bit Linux.
/// </summary>
public sealed unsafe class SystemUserDatabase : IUserDatabase
{
    public static readonly SystemUserDatabase Instance = new();

    private SystemUserDatabase() { }

    public int RealUid => (int)Libc.getuid();
    public int RealGid => (int)Libc.getgid();
    public int EffectiveUid => (int)Libc.geteuid();

    public PasswdEntry? UserByName(string name) =>
        name.Contains('\0') ? null : LookupUser(NativeStrings.NullTerminated(name), (n, p, buf, len, res) => Libc.getpwnam_r(n, p, buf, len, res));

    public PasswdEntry? UserById(int uid) =>
        LookupUser([], (_, p, buf, len, res) => Libc.getpwuid_r((uint)uid, p, buf, len, res));

    private delegate int PwLookup(byte* name, Passwd* pwd, byte* buf, nuint len, Passwd** result);

    private static PasswdEntry? LookupUser(byte[] name, PwLookup lookup)
    {
        for (nuint size = 1024; size <= 1 << 20; size *= 4)
        {
            var buf = new byte[size];
            fixed (byte* n = name)
            fixed (byte* b = buf)
            {
                Passwd pwd;
                Passwd* result = null;
                var rc = lookup(n, &pwd, b, size, &result);
                if (rc == Libc.ERANGE) continue;
                if (rc != 0 || result == null) return null;
                return new PasswdEntry(Str(pwd.Name), (int)pwd.Uid, (int)pwd.Gid, Str(pwd.Dir), Str(pwd.Shell));
            }
        }
        return null;
    }

    public int? GroupByName(string name)
    {
        if (name.Contains('\0')) return null;
        var cName = NativeStrings.NullTerminated(name);
        for (nuint size = 1024; size <= 1 << 20; size *= 4)
        {
            var buf = new byte[size];
            fixed (byte* n = cName)
            fixed (byte* b = buf)
            {
                Group grp;
                Group* result = null;
                var rc = Libc.getgrnam_r(n, &grp, b, size, &result);
                if (rc == Libc.ERANGE) continue;
                if (rc != 0 || result == null) return null;
                return (int)grp.Gid;
            }
        }
        return null;
    }

    private static string Str(byte* p) => p == null ? "" : Marshal.PtrToStringUTF8((nint)p) ?? "";
}
