using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon;

/// <summary>Every message of the recovery after a manager crash (<c>kill -9</c>) and of the crash record; event ids 200–299.</summary>
internal static partial class RecoveryLog
{
    public const string Category = "Tinyinit.Recovery";

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "The previous manager's crash record cannot be read ({Problem}); starting afresh")]
    public static partial void CrashRecordUnreadable(ILogger logger, string problem);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Cannot restore the previous manager's services from its crash record ({Reason}); starting afresh")]
    public static partial void ServicesNotRestored(ILogger logger, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Control socket not available after the manager crash")]
    public static partial void NoControlSocket(ILogger logger);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Service {Service}: its readiness pipe was lost with the previous manager and it has no start timeout; start failed")]
    public static partial void ReadinessLostStartFailed(ILogger logger, string service);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Service {Service}: its readiness pipe was lost with the previous manager; it fails at its start timeout unless it stops first")]
    public static partial void ReadinessLostAwaitingTimeout(ILogger logger, string service);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Recovered after a manager crash (generation {Generation}): {Services} services, {Readopted} processes re-adopted, {Gone} gone, {Pipes} readiness pipes taken back")]
    public static partial void Recovered(ILogger logger, long generation, int services, int readopted, int gone, int pipes);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Process {Pid} ended while no manager ran and its exit status was lost; treated as killed")]
    public static partial void ExitLostWhileNoManager(ILogger logger, int pid);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "Process {Pid} has ended and tinyinit lost its exit status; treated as killed")]
    public static partial void ExitLostByInit(ILogger logger, int pid);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Process {Pid}{About} was left running by a previous manager; stopping it to start afresh")]
    public static partial void LeftoverStopped(ILogger logger, int pid, string about);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Cannot write the crash record; a manager restarted after a crash would use an older one")]
    public static partial void CrashRecordNotWritten(ILogger logger);
}
