using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Logging;

/// <summary>One entry as the sinks see it: formatted once, whatever the number of sinks.</summary>
/// <param name="Service">For a <see cref="StatusLog"/> event, the service it is about; otherwise null.</param>
internal readonly record struct LogEntry(LogLevel Level, EventId EventId, string Text, string? Service);

/// <summary>
/// A destination of the manager's own log (our providers: console, <c>-l</c> file, syslog, kernel
/// log). Each decides by level alone and never blocks the event loop. Sinks are not
/// <see cref="ILoggerProvider"/>s with loggers of their own: the one <see cref="FanOutLogger"/>
/// formats an entry once and hands the text to each, and the NativeAOT binary holds one
/// generic <c>Log&lt;TState&gt;</c> per message shape instead of one per sink.
/// </summary>
internal interface ILogSink
{
    /// <summary>Whether an entry of <paramref name="level"/> is written; <paramref name="status"/>: a <see cref="StatusLog"/> event.</summary>
    bool Wants(LogLevel level, bool status);

    void Write(in LogEntry entry);
}
