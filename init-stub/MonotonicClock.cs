using Tinyinit.Init.Interop;

namespace Tinyinit.Init;

internal static unsafe class MonotonicClock
{
    public static long Milliseconds()
    {
        Timespec ts;
        Libc.clock_gettime(Libc.CLOCK_MONOTONIC, &ts);
        return ts.Seconds * 1000 + ts.Nanoseconds / 1_000_000;
    }
}
