using Tinyinit.Daemon.Interop;

namespace Tinyinit.Daemon.Os;

/// <summary>CLOCK_MONOTONIC, the clock timerfd deadlines are expressed in.</summary>
internal static unsafe class MonotonicClock
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
}
