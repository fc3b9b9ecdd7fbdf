namespace Tinyinit.Ctl.Cli;

/// <summary>A valid tinyctl/dinitctl command line (ctl.md §1), as parsed by <see cref="CommandLineParser"/>.</summary>
internal sealed class CtlOptions
{
    public string Command { get; set; } = "";
    public List<string> Arguments { get; } = [];

    /// <summary>True: system daemon; false: user daemon; null: by real uid.</summary>
    public bool? SystemMode { get; set; }
    public string? SocketPath { get; set; }
    public bool UsePassedControlFd { get; set; }
    public bool Quiet { get; set; }
    public bool Offline { get; set; }
    public List<string> ServiceDirectories { get; } = [];
    public bool NoWait { get; set; }
    public bool Pin { get; set; }
    public bool IgnoreUnstarted { get; set; }
    public bool Force { get; set; }
    public string? From { get; set; }
    /// <summary>restart-manager --exec: the executable the manager hands over to.</summary>
    public string? ExecPath { get; set; }
    public bool Clear { get; set; }
    public bool ListSignals { get; set; }

    /// <summary>tinyinit extension: machine-readable output for query commands.</summary>
    public bool Json { get; set; }
}
