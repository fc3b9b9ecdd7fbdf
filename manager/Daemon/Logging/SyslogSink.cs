using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The main log through syslog (semantics.md §13.2, the default when there is no <c>-l</c> file):
/// datagrams to <c>/dev/log</c> (<see cref="SyslogMessage"/>). The syslog daemon is itself a
/// service, so the manager sends nothing before a service marked <c>starts-log</c> has started
/// (<see cref="SwitchOn"/>); what was logged before is kept (bounded, <see cref="DatagramOutput"/>)
/// and sent then, oldest first.
/// </summary>
internal sealed class SyslogSink : ILogSink, IDisposable
{
    public const string DefaultPath = "/dev/log";
    private readonly string _tag;
    private readonly int _pid;

    public SyslogSink(string tag, int pid, string path = DefaultPath)
    {
        _tag = tag;
        _pid = pid;
        Output = new DatagramOutput(path, dropped => SyslogMessage.Format(LogLevel.Warning, _tag, _pid,
            $"*** {dropped} log message(s) discarded due to full buffer ***"));
    }

    public DatagramOutput Output { get; }
    public LogThreshold Threshold { get; set; } = LogThreshold.Off;

    public void SwitchOn() => Output.SwitchOn();

    public bool Wants(LogLevel level, bool status) => Threshold.Allows(level);

    public void Write(in LogEntry entry) => Output.Write(SyslogMessage.Format(entry.Level, _tag, _pid, entry.Text));

    public void Dispose() => Output.Dispose();
}
