using System.Runtime.InteropServices;
using System.Text;

namespace Tinyinit.Native;

/// <summary>The login records (utmpx database and wtmp log), through glibc's utmpx functions.</summary>
public static unsafe partial class Libc
{
    public const short BOOT_TIME = 2, INIT_PROCESS = 5, DEAD_PROCESS = 8;
    public const string UtmpPath = "/var/run/utmp", WtmpPath = "/var/log/wtmp";

    [LibraryImport(Lib, SetLastError = true)]
    public static partial void setutxent();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial void endutxent();

    /// <summary>Finds the entry whose id (INIT/DEAD/LOGIN/USER_PROCESS) matches; null when none.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial Utmpx* getutxid(Utmpx* key);

    /// <summary>Finds the next LOGIN/USER_PROCESS entry with the same line; null when none.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial Utmpx* getutxline(Utmpx* key);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial Utmpx* pututxline(Utmpx* entry);

    [LibraryImport(Lib, EntryPoint = "updwtmpx", SetLastError = true)]
    private static partial void updwtmpx(byte* file, Utmpx* entry);

    /// <summary>Appends <paramref name="entry"/> to the wtmp log at <paramref name="path"/>.</summary>
    public static void updwtmpx(string path, Utmpx* entry)
    {
        using var p = new Utf8Path(path);
        if (p.IsValid) updwtmpx(p.Pointer, entry);
    }
}

/// <summary>
/// struct utmpx of glibc on x86_64 and aarch64 (384 bytes; 32-bit session and time fields on
/// both, for compatibility with their 32-bit modes).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 384)]
public unsafe struct Utmpx
{
    public const int LineSize = 32, IdSize = 4;

    public short Type;
    private short _pad;
    public int Pid;
    public fixed byte Line[LineSize];
    public fixed byte Id[IdSize];
    public fixed byte User[32];
    public fixed byte Host[256];
    public short ExitTermination, ExitStatus;
    public int Session;
    public int Seconds, Microseconds;
    public fixed int AddressV6[4];
    private fixed byte _reserved[20];

    /// <summary>Copies <paramref name="text"/> into a fixed field, truncated, NUL-padded (not necessarily NUL-terminated, as utmp fields are).</summary>
    public static void Fill(byte* field, int size, string text)
    {
        var span = new Span<byte>(field, size);
        span.Clear();
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.AsSpan(0, Math.Min(bytes.Length, size)).CopyTo(span);
    }

    /// <summary>The text of a fixed field (up to its first NUL).</summary>
    public static string Read(byte* field, int size)
    {
        var span = new ReadOnlySpan<byte>(field, size);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
