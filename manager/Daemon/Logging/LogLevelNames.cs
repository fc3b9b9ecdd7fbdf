using Tinyinit.Engine;

namespace Tinyinit.Daemon.Logging;

/// <summary>The level names of the daemon options (ctl.md §11).</summary>
internal static class LogLevelNames
{
    public static bool TryParse(string text, out LogLevel level)
    {
        switch (text)
        {
            case "debug": level = LogLevel.Debug; return true;
            case "info": level = LogLevel.Info; return true;
            case "warn": level = LogLevel.Warn; return true;
            case "error": level = LogLevel.Error; return true;
            case "none": level = LogLevel.None; return true;
            default: level = LogLevel.None; return false;
        }
    }
}
