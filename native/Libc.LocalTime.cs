using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// Local time as the C library sees it (TZ, /etc/localtime): syslog timestamps without .NET's
/// TimeZoneInfo and date formatting, which would add about 70 KiB to the manager.
/// </summary>
public static unsafe partial class Libc
{
    public const int CLOCK_REALTIME = 0;

    [LibraryImport(Lib)]
    public static partial Tm* localtime_r(long* time, Tm* result);

    /// <summary>The broken-down local time now; all zero when the C library cannot tell.</summary>
    public static Tm LocalTimeNow()
    {
        Timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        var seconds = now.Seconds;
        Tm tm;
        return localtime_r(&seconds, &tm) == null ? default : tm;
    }
}

/// <summary>struct tm (glibc, 64-bit): the broken-down time.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Tm
{
    public int Second, Minute, Hour, DayOfMonth, Month, YearSince1900, DayOfWeek, DayOfYear, IsDst;
    public long GmtOffset;
    public nint Zone;
}
