using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Output;

/// <summary>Every message about where a service's output goes (pipes, buffers, log files); event ids 800–899.</summary>
internal static partial class OutputLog
{
    public const string Category = "Tinyinit.Output";

    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Service {Service}: {Producer} does not log via a pipe; its standard input is /dev/null")]
    public static partial void ProducerNotPiped(ILogger logger, string service, string producer);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Service {Service}: log file {Path} is a symbolic link; not followed")]
    public static partial void LogFileIsSymlink(ILogger logger, string service, string path);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Service {Service}: cannot open log file {Path}: {Reason}")]
    public static partial void LogFileNotOpened(ILogger logger, string service, string path, string reason);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "Service {Service}: cannot watch its output pipe again: {Reason}")]
    public static partial void PipeNotWatched(ILogger logger, string service, string reason);

    [LoggerMessage(EventId = 804, Level = LogLevel.Warning, Message = "Service {Service}: {Bytes} bytes of output could not be written to its log file")]
    public static partial void FileBytesLost(ILogger logger, string service, long bytes);

    [LoggerMessage(EventId = 805, Level = LogLevel.Warning, Message = "Service {Service}: cannot write to its log file {Path}: {Reason}; output is dropped")]
    public static partial void LogFileNotWritable(ILogger logger, string service, string? path, string reason);

    [LoggerMessage(EventId = 806, Level = LogLevel.Error, Message = "The previous manager's output pipes cannot be read; services get new ones at their next start")]
    public static partial void SectionUnreadable(ILogger logger);

    [LoggerMessage(EventId = 807, Level = LogLevel.Warning, Message = "Service {Service}: its output pipe was lost with the previous manager; a new one is made at its next start")]
    public static partial void PipeLost(ILogger logger, string service);
}
