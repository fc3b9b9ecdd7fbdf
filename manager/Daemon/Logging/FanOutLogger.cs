using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The <see cref="ILogger"/> a component holds (one per category): <see cref="IsEnabled"/>
/// is what the source-generated <c>[LoggerMessage]</c> methods ask before they build anything,
/// so a message no sink wants is never formatted; one that some sink wants is formatted once.
/// </summary>
internal sealed class FanOutLogger(ILogSink[] sinks, bool status) : ILogger
{
    public bool IsEnabled(LogLevel logLevel)
    {
        foreach (var sink in sinks)
            if (sink.Wants(logLevel, status)) return true;
        return false;
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var text = formatter(state, exception);
        if (exception != null) text = $"{text}: {exception.Message}";
        var entry = new LogEntry(logLevel, eventId, text, status ? StatusLog.ServiceOf(state) : null);
        foreach (var sink in sinks)
            if (sink.Wants(logLevel, status)) sink.Write(entry);
    }

    /// <summary>No scopes: every message of ours says what it is about.</summary>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
}
