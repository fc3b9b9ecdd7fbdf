using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Core;

/// <summary>Every message about running services (<see cref="LinuxSystem"/>, the engine's own messages); event ids 300–399 (300 and 303 retired: settings once not applied).</summary>
internal static partial class ServicesLog
{
    public const string Category = "Tinyinit.Services";

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Service {Service}: not signalling pid {Pid}: it is no longer the process its pid file named")]
    public static partial void PidFileStale(ILogger logger, string service, int pid);

    /// <summary>A message of the service engine, which has its own words and levels (semantics.md).</summary>
    [LoggerMessage(EventId = 302, Message = "{Text}")]
    public static partial void EngineMessage(ILogger logger, LogLevel level, string text);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "kill-all-on-stop ignored: the manager is not running under tinyinit as PID 1 of its namespace")]
    public static partial void KillAllRefused(ILogger logger);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Sending TERM/KILL to all processes...")]
    public static partial void KillingAll(ILogger logger);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "{Reason}")]
    public static partial void ActivationSocketFailed(ILogger logger, string reason);
}
