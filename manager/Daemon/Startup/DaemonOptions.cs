using Tinyinit.Engine;
using Tinyinit.Daemon.Logging;
using Tinyinit.Loader;

namespace Tinyinit.Daemon.Startup;

/// <summary>The manager's command line (ctl.md §11), after parsing.</summary>
internal sealed class DaemonOptions
{
    /// <summary>The name invoked as (argv[0] without its directory): the prefix of messages and log lines.</summary>
    public string Program { get; init; } = "tinyinitd";
    /// <summary>Default directories, socket and environment file: the reference's when invoked as <c>dinit</c>.</summary>
    public Personality Personality { get; init; } = Personality.Tinyinit;
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
    /// <summary>--boot-failure, else $TINYINIT_BOOT_FAILURE when valid, else halt.</summary>
    public BootFailureAction BootFailure { get; set; } = BootFailureAction.Halt;
    public bool Quiet { get; set; }
    public string? CgroupPath { get; set; }
    public LogLevel? ConsoleLevel { get; set; }
    public LogLevel? LogLevel { get; set; }
    public List<string> Services { get; } = [];
    /// <summary><c>--socket-group GROUP</c> (tinyinit only): this group's members may make read-only queries on the system socket.</summary>
    public (uint Gid, string Name)? SocketGroup { get; set; }
    /// <summary><c>--connections-per-uid N</c> (tinyinit only): control connections one uid may hold at once.</summary>
    public int ConnectionsPerUid { get; set; } = Control.ControlAccessPolicy.DefaultPerUidLimit;
    /// <summary>Hidden <c>--restore-fd N</c>: the hand-over record of a predecessor manager (restart-manager).</summary>
    public int RestoreFd { get; set; } = -1;
    /// <summary>The command line as given (without argv[0]): a hand-over re-executes with it.</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];
    public bool ShowHelp { get; set; }
    public bool ShowVersion { get; set; }
}
