using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Link;

/// <summary>Every message of the link to tinyinit and of descriptors parked with it; event ids 700–799.</summary>
internal static partial class LinkLog
{
    public const string Category = "Tinyinit.Link";

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void ParkingProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void LinkProblem(ILogger logger, string problem);
}
