using Microsoft.Extensions.Logging;

namespace Tinyinit.Daemon.Core;

/// <summary>Every message of loading service descriptions (<see cref="ServiceCatalog"/>, texts of the loader); event ids 600–699.</summary>
internal static partial class CatalogLog
{
    public const string Category = "Tinyinit.Catalog";

    [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "{Problem}")]
    public static partial void LoadError(ILogger logger, string problem);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void LoadWarning(ILogger logger, string problem);
}
