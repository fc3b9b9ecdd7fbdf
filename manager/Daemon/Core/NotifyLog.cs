using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Core;

/// <summary>Every message of sd_notify readiness (the notification socket, MAINPID=); event ids 900–999.</summary>
internal static partial class NotifyLog
{
    public const string Category = "Tinyinit.Notify";

    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "sd_notify: {Reason}")]
    public static partial void SocketProblem(ILogger logger, string? reason);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug, Message = "sd_notify: {Why}")]
    public static partial void DatagramIgnored(ILogger logger, string why);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Service {Service}: MAINPID={Pid} refused: {Reason}")]
    public static partial void MainPidRefused(ILogger logger, string service, int pid, string reason);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Service {Service}: main process {Pid} (named by MAINPID=) has ended; its parent collected the exit status, taken as 0")]
    public static partial void MainPidCollectedElsewhere(ILogger logger, string service, int pid);

    [LoggerMessage(EventId = 904, Level = LogLevel.Error, Message = "sd_notify: the previous manager's notification state cannot be read ({Reason}); its socket is opened afresh when needed")]
    public static partial void SectionUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 905, Level = LogLevel.Warning, Message = "sd_notify: the notification socket did not survive; binding {Address} again (what was queued in it is lost)")]
    public static partial void SocketRebound(ILogger logger, string address);
}
