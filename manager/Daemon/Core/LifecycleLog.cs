using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon;

/// <summary>Every message of the manager's start-up, control socket and shutdown (<see cref="ServiceManager"/>); event ids 1–99.</summary>
internal static partial class LifecycleLog
{
    public const string Category = "Tinyinit.Manager";

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Opening log file failed: {Reason}")]
    public static partial void LogFileOpenFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Starting system")]
    public static partial void StartingSystem(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Cannot read environment file '{Path}': {Reason}")]
    public static partial void EnvironmentFileUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void EnvironmentFileLineIgnored(ILogger logger, string problem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Problem}")]
    public static partial void ControlSocketUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "internal error (ignored): {ExceptionType}: {Reason}")]
    public static partial void InternalError(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "control connection fault: {ExceptionType}: {Reason}")]
    public static partial void ControlConnectionFault(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Cannot accept control connection: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "{Line}")]
    public static partial void NamedServiceNotLoaded(ILogger logger, string line);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "signal {Signal} forwarded by tinyinit ignored")]
    public static partial void ForwardedSignalIgnored(ILogger logger, int signal);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "No more active services.{Next}")]
    public static partial void NoMoreActiveServices(ILogger logger, string next);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "no init to hand the shutdown to (tinyinit is not PID 1 here); exiting")]
    public static partial void NoInitForShutdown(ILogger logger);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Unable to start recovery service: {Reason}")]
    public static partial void RecoveryServiceNotStarted(ILogger logger, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "asking tinyinit to re-execute itself")]
    public static partial void AskingInitToReexecItself(ILogger logger);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "asking tinyinit to re-execute {Path}")]
    public static partial void AskingInitToReexec(ILogger logger, string path);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void ControlSocketWarning(ILogger logger, string problem);
}
