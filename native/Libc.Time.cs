using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Clocks and timerfd.</summary>
public static unsafe partial class Libc
{
    public const int CLOCK_MONOTONIC = 1;
    public const int TFD_NONBLOCK = 0x800, TFD_CLOEXEC = 0x80000, TFD_TIMER_ABSTIME = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int clock_gettime(int clockId, Timespec* tp);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int timerfd_create(int clockId, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int timerfd_settime(int fd, int flags, ITimerSpec* newValue, ITimerSpec* oldValue);
}

[StructLayout(LayoutKind.Sequential)]
public struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}

[StructLayout(LayoutKind.Sequential)]
public struct ITimerSpec
{
    public Timespec Interval;
    public Timespec Value;
}

/// <summary>CLOCK_MONOTONIC: the clock of timerfd deadlines, unaffected by setting the date.</summary>
public static unsafe class MonotonicClock
{
    public static TimeSpan Now
    {
        get
        {
            Timespec ts;
            Libc.clock_gettime(Libc.CLOCK_MONOTONIC, &ts);
            return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
        }
    }

    public static long Milliseconds
    {
        get
        {
            Timespec ts;
            Libc.clock_gettime(Libc.CLOCK_MONOTONIC, &ts);
            return ts.Seconds * 1000 + ts.Nanoseconds / 1_000_000;
        }
    }
}
