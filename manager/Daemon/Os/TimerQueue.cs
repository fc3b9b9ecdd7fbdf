using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Any number of one-shot deadlines, one per key, multiplexed onto a single timerfd set to the
/// earliest. Re-arming or cancelling a key just bumps its generation; stale heap entries are
/// skipped when they surface, so both are O(log n) with no search.
/// </summary>
internal sealed unsafe class TimerQueue<TKey> : IEventSource, IDisposable where TKey : class
{
    private readonly int _fd;
    private readonly PriorityQueue<(TKey Key, long Generation), TimeSpan> _heap = new();
    private readonly Dictionary<TKey, long> _generation = new(ReferenceEqualityComparer.Instance);
    private readonly Action<TKey> _onExpired;
    private long _nextGeneration;
    private TimeSpan _armedFor = TimeSpan.MaxValue;

    public TimerQueue(EventLoop loop, Action<TKey> onExpired)
    {
        _onExpired = onExpired;
        _fd = Libc.timerfd_create(Libc.CLOCK_MONOTONIC, Libc.TFD_NONBLOCK | Libc.TFD_CLOEXEC);
        if (_fd < 0) throw new OsException("timerfd_create", Libc.Errno);
        loop.Add(_fd, Libc.EPOLLIN, this);
    }

    public void Arm(TKey key, TimeSpan due)
    {
        var generation = ++_nextGeneration;
        _generation[key] = generation;
        _heap.Enqueue((key, generation), due);
        Rearm();
    }

    public void Cancel(TKey key) => _generation.Remove(key);

    public void OnReady(uint events)
    {
        ulong expirations;
        Libc.read(_fd, (byte*)&expirations, sizeof(ulong));
        _armedFor = TimeSpan.MaxValue;
        var now = MonotonicClock.Now;
        while (_heap.TryPeek(out var entry, out var due) && due <= now)
        {
            _heap.Dequeue();
            if (!_generation.TryGetValue(entry.Key, out var current) || current != entry.Generation) continue;
            _generation.Remove(entry.Key);
            _onExpired(entry.Key);
        }
        Rearm();
    }

    private void Rearm()
    {
        while (_heap.TryPeek(out var entry, out _) &&
               (!_generation.TryGetValue(entry.Key, out var g) || g != entry.Generation))
            _heap.Dequeue();
        if (!_heap.TryPeek(out _, out var earliest) || earliest == _armedFor) return;
        _armedFor = earliest;
        // A zero it_value disarms a timerfd, so a deadline at (or before) zero becomes 1 ns.
        var ticks = Math.Max(earliest.Ticks, 1);
        var spec = new ITimerSpec
        {
            Value = new Timespec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 + (earliest.Ticks <= 0 ? 1 : 0) },
        };
        Libc.timerfd_settime(_fd, Libc.TFD_TIMER_ABSTIME, &spec, null);
    }

    public void Dispose() => Libc.close(_fd);
}
