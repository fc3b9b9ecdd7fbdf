using Tinyinit.Engine;
using Tinyinit.Daemon.Logging;

namespace Tinyinit.Daemon.Startup;

/// <summary>The manager's command line (ctl.md §11), after parsing.</summary>
internal sealed class DaemonOptions
{
    public List<string> ServiceDirectories { get; } = [];
    public string? EnvironmentFile { get; set; }
    public string? SocketPath { get; set; }
    public int ReadyFd { get; set; } = -1;
    public string? LogFile { get; set; }
    /// <summary>null: decided by the real uid (system when root).</summary>
    public bool? SystemMode { get; set; }
    /// <summary>null: system manager when PID 1 or under tinyinit; -m/-o force it.</summary>
    public bool? SystemManager { get; set; }
    public bool AutoRecovery { get; set; }
    public bool Quiet { get; set; }
    public string? CgroupPath { get; set; }
    public LogLevel? ConsoleLevel { get; set; }
    public LogLevel? LogLevel { get; set; }
    public List<string> Services { get; } = [];
    public bool ShowHelp { get; set; }
    public bool ShowVersion { get; set; }
}
