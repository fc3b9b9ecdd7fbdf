using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// Service status changes (semantics.md §2.4). The main log gets the message text
/// (<c>tinyinitd: service web started.</c>); the console shows the same event as a status line
/// (<c>[  OK  ] web</c>, see <see cref="ConsoleTag"/>) whatever its level, unless <c>-q</c>.
/// </summary>
internal static partial class StatusLog
{
    public const string Category = "Tinyinit.Status";
    public const string ServiceKey = "Service";

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "service {Service} started.")]
    public static partial void Started(ILogger logger, string service);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "service {Service} failed to start.")]
    public static partial void FailedToStart(ILogger logger, string service);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "service {Service} stopped.")]
    public static partial void Stopped(ILogger logger, string service);

    /// <summary>The console's tag for a status event, or null for any other event.</summary>
    public static string? ConsoleTag(EventId eventId) => eventId.Id switch
    {
        400 => "  OK  ",
        401 => "FAILED",
        402 => "STOPPD",
        _ => null,
    };

    /// <summary>The service a status event is about, from the generated state's values.</summary>
    public static string? ServiceOf<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return null;
        foreach (var (key, value) in values)
            if (key == ServiceKey) return value as string;
        return null;
    }
}
