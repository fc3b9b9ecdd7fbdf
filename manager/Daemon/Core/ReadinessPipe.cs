using Tinyinit.Native;
using Tinyinit.Daemon.Link;
using Tinyinit.Daemon.Os;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// The manager's end of a process service's readiness pipe (semantics.md §11): the first byte
/// means "ready", end-of-file before that means the start failed. After readiness, data is
/// read and discarded until end-of-file, which just closes our end.
/// Until readiness is reported a duplicate is parked with tinyinit (<see cref="ParkKey"/>), so
/// a manager crash loses neither the pipe nor the byte: the next manager takes it back.
/// </summary>
internal sealed class ReadinessPipe : IEventSource, IDisposable
{
    private readonly EventLoop _loop;
    private readonly Action _onReady;
    private readonly Action _onClosedBeforeReady;
    private int _fd;
    private readonly ParkedDescriptors? _parking;
    private bool _reported;

    /// <param name="reported">Readiness was already reported (a pipe adopted from a predecessor manager).</param>
    /// <param name="parking">Where to park a duplicate while readiness is awaited; null: not parked.</param>
    /// <param name="parkKey">The key it is already parked under (adopted or taken back), or 0 to park it now.</param>
    public ReadinessPipe(EventLoop loop, int fd, Action onReady, Action onClosedBeforeReady, bool reported = false,
        ParkedDescriptors? parking = null, int parkKey = 0)
    {
        _reported = reported;
        _loop = loop;
        _fd = fd;
        _onReady = onReady;
        _onClosedBeforeReady = onClosedBeforeReady;
        _parking = parking;
        loop.Add(fd, Libc.EPOLLIN | Libc.EPOLLHUP, this);
        ParkKey = parkKey > 0 ? parkKey : parking != null && !reported ? parking.Park(fd) : -1;
    }

    public bool IsOpen => _fd >= 0;
    public int Fd => _fd;
    public bool Reported => _reported;

    /// <summary>The key of the duplicate parked with tinyinit, or -1 when none is parked.</summary>
    public int ParkKey { get; private set; }

    public void OnReady(uint events)
    {
        var read = FileDescriptors.Drain(_fd);
        if (read > 0 && !_reported)
        {
            _reported = true;
            Unpark();     // the byte is consumed: nothing left that a crash could lose
            _onReady();
        }
        if (read == 0)
        {
            Dispose();
            if (!_reported) _onClosedBeforeReady();
        }
    }

    private void Unpark()
    {
        if (ParkKey > 0) _parking?.Release(ParkKey);
        ParkKey = -1;
    }

    public void Dispose()
    {
        Unpark();
        if (_fd < 0) return;
        _loop.Remove(_fd);
        FileDescriptors.Close(ref _fd);
    }
}
