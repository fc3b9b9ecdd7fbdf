using Microsoft.Extensions.Logging;
using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The main log as a file (<c>-l PATH</c>, ctl.md §11): opened O_APPEND, mode 0644, at start-up
/// (system manager: again when a <c>starts-rwfs</c> service has started). Entries at or above
/// <see cref="Threshold"/> (<c>--log-level</c>), status events as their text. Written through
/// <see cref="NonBlockingOutput"/>, so a disk that does not take them drops and counts lines
/// instead of stopping the loop.
/// </summary>
internal sealed class MainLogFileSink(string prefix) : ILogSink, IDisposable
{
    private NonBlockingOutput? _output;
    private EventLoop? _loop;

    public LogThreshold Threshold { get; set; } = LogThreshold.Off;
    public bool IsOpen => _output != null;

    /// <summary>Opens (or reopens) <paramref name="path"/>. Returns an errno, or 0.</summary>
    public int Open(string path)
    {
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NOCTTY, Convert.ToInt32("644", 8));
        if (fd < 0) return Libc.Errno;
        _output?.Dispose();
        _output = new NonBlockingOutput(fd, prefix, ownsFd: true);
        if (_loop != null) _output.Attach(_loop);
        return 0;
    }

    public void Attach(EventLoop loop)
    {
        _loop = loop;
        _output?.Attach(loop);
    }

    public void Drain(int timeoutMs) => _output?.Drain(timeoutMs);

    public bool Wants(LogLevel level, bool status) => _output != null && Threshold.Allows(level);

    public void Write(in LogEntry entry) => _output?.Write(LogLine.Utf8(prefix, entry.Text));

    public void Dispose() => _output?.Dispose();
}
