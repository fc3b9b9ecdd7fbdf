using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Core;

/// <summary>Every message about running services (<see cref="LinuxSystem"/>, the engine's own messages); event ids 300–399.</summary>
internal static partial class ServicesLog
{
    public const string Category = "Tinyinit.Services";

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Service {Service}: not applied (not implemented yet): {Settings}")]
    public static partial void SettingsNotApplied(ILogger logger, string service, string settings);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Service {Service}: not signalling pid {Pid}: it is no longer the process its pid file named")]
    public static partial void PidFileStale(ILogger logger, string service, int pid);

    /// <summary>A message of the service engine, which has its own words and levels (semantics.md).</summary>
    [LoggerMessage(EventId = 302, Message = "{Text}")]
    public static partial void EngineMessage(ILogger logger, LogLevel level, string text);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "{Service}: socket-listen is not supported yet; cannot start")]
    public static partial void SocketListenUnsupported(ILogger logger, string service);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "kill-all-on-stop ignored: the manager is not running under tinyinit as PID 1 of its namespace")]
    public static partial void KillAllRefused(ILogger logger);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Sending TERM/KILL to all processes...")]
    public static partial void KillingAll(ILogger logger);
}
