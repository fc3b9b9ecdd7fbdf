using MelLevel = Microsoft.Extensions.Logging.LogLevel;
using OptionLevel = Tinyinit.Engine.LogLevel;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The lowest level a sink writes, from the daemon's level options (ctl.md §11: <c>debug</c>,
/// <c>info</c>, <c>warn</c>, <c>error</c>, <c>none</c>) mapped onto Microsoft.Extensions.Logging's levels.
/// </summary>
internal readonly record struct LogThreshold(MelLevel Lowest)
{
    public static readonly LogThreshold Off = new(MelLevel.None);

    public static LogThreshold From(OptionLevel level) => new(level switch
    {
        OptionLevel.Debug => MelLevel.Debug,
        OptionLevel.Info => MelLevel.Information,
        OptionLevel.Warn => MelLevel.Warning,
        OptionLevel.Error => MelLevel.Error,
        _ => MelLevel.None,
    });

    public bool Allows(MelLevel level) => Lowest != MelLevel.None && level != MelLevel.None && level >= Lowest;
}
