using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Control;

/// <summary>Every message of the control socket listener (<see cref="ControlListener"/>); event ids 500–599.</summary>
internal static partial class ControlLog
{
    public const string Category = "Tinyinit.Control";

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "{Problem}")]
    public static partial void ListenerError(ILogger logger, string problem);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void ListenerWarning(ILogger logger, string problem);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "control connection fault: {Kind}: {Reason}")]
    public static partial void ConnectionFault(ILogger logger, string kind, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Cannot serve a service's passed control connection: {Reason}")]
    public static partial void PassedConnectionNotServed(ILogger logger, string reason);
}
