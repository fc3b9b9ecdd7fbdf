using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The console (semantics.md §13.2): the daemon's stdout, which is /dev/console when it is the
/// system manager under tinyinit. Entries at or above <see cref="Threshold"/>
/// (<c>--console-level</c>) as <c>tinyinitd: text</c>; <see cref="StatusLog"/> events as
/// <c>[  OK  ] name</c> whatever the level (off with <c>-q</c>). Never blocks:
/// <see cref="NonBlockingOutput"/>. While a service owns the console (<see cref="Held"/>)
/// everything is kept back in order, and written when the console is the manager's again.
/// </summary>
internal sealed class ConsoleSink(NonBlockingOutput output, string prefix) : ILogSink
{
    public NonBlockingOutput Output { get; } = output;
    public LogThreshold Threshold { get; set; } = LogThreshold.Off;
    /// <summary>Whether status lines are shown (off with <c>-q</c> unless a console level follows it).</summary>
    public bool StatusLines { get; set; }

    public bool Held
    {
        get => Output.Held;
        set => Output.Held = value;
    }

    public bool Wants(LogLevel level, bool status) => status ? StatusLines : Threshold.Allows(level);

    public void Write(in LogEntry entry)
    {
        if (entry.Service == null) Output.Write(LogLine.Utf8(prefix, entry.Text));
        else if (StatusLog.ConsoleTag(entry.EventId) is { } tag) Output.Write(LogLine.Utf8($"[{tag}] ", entry.Service));
    }
}
