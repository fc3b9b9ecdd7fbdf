using System.Text;
using Microsoft.Extensions.Logging;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// Early boot messages into the kernel's log (<c>/dev/kmsg</c>, read with <c>dmesg</c>): the system
/// manager writes its main log there while there is no syslog daemon yet, until a
/// <c>starts-log</c> service has started (or a <c>-l</c> file takes the main log). One write is
/// one record, <c>&lt;PRI&gt;tinyinitd: text</c> with facility daemon; the kernel never makes a
/// writer wait (it rate-limits writers itself, <c>printk_devkmsg</c>), so a failed write is only
/// counted.
/// </summary>
internal sealed unsafe class KernelLogSink(string prefix, string path = KernelLogSink.DefaultPath) : ILogSink, IDisposable
{
    public const string DefaultPath = "/dev/kmsg";
    private int _fd = -1;
    private bool _unavailable;

    /// <summary>Whether entries go to the kernel log now.</summary>
    public bool Active { get; set; }
    public LogThreshold Threshold { get; set; } = LogThreshold.Off;
    public long Failed { get; private set; }

    public bool Wants(LogLevel level, bool status) => Active && Threshold.Allows(level);

    public void Write(in LogEntry entry)
    {
        if (_fd < 0 && !Open()) return;
        var record = Encoding.UTF8.GetBytes($"<{SyslogMessage.Priority(entry.Level)}>{prefix}{entry.Text}\n");
        fixed (byte* p = record)
            if (Libc.write(_fd, p, record.Length) < 0) Failed++;
    }

    private bool Open()
    {
        if (_unavailable) return false;
        _fd = Libc.open(path, Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        _unavailable = _fd < 0;
        return !_unavailable;
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.close(_fd);
        _fd = -1;
    }
}
