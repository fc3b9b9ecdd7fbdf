using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon;

/// <summary>Every message of the planned manager hand-over (<c>restart-manager</c>), both sides; event ids 100–199.</summary>
internal static partial class HandOverLog
{
    public const string Category = "Tinyinit.HandOver";

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Manager hand-over not possible (cannot write the state record: {Reason}); carrying on")]
    public static partial void StateRecordNotWritten(ILogger logger, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Handing over to {Path} ({Bytes} bytes of engine state)")]
    public static partial void HandingOver(ILogger logger, string path, int bytes);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Manager hand-over to {Path} failed: {Reason}; carrying on")]
    public static partial void HandOverFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Cannot read the predecessor manager's state (fd {Fd}); starting afresh")]
    public static partial void PredecessorStateUnreadable(ILogger logger, int fd);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "{Problem}")]
    public static partial void ControlSocketNotAdopted(ILogger logger, string problem);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Cannot restore the predecessor manager's services ({Reason}); they keep running unsupervised")]
    public static partial void ServicesNotRestored(ILogger logger, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Took over from the previous manager: {Services} services, {Processes} processes")]
    public static partial void TookOver(ILogger logger, int services, int processes);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Service {Service}: its description changed since it was loaded; the new one applies")]
    public static partial void DescriptionChanged(ILogger logger, string service);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Service {Service}: description not available; kept running as it is (reload it once the file is back)")]
    public static partial void DescriptionMissing(ILogger logger, string service);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "Service {Service}: cannot watch its readiness pipe again: {Reason}")]
    public static partial void ReadinessPipeNotWatched(ILogger logger, string service, string reason);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "The previous manager's activation sockets cannot be read from its record; services get new ones at their next start")]
    public static partial void ActivationSocketsUnreadable(ILogger logger);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Service {Service}: its activation sockets were lost with the previous manager; new ones are opened at its next start")]
    public static partial void ActivationSocketsLost(ILogger logger, string service);
}
