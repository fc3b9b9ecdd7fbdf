namespace Tinyinit.Daemon.Logging;

/// <summary>Daemon log levels, low to high (ctl.md §11 names). <see cref="None"/> disables a sink.</summary>
internal enum LogLevel { Debug, Info, Warn, Error, None }

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
