namespace Tinyinit.Ctl.Monitor;

/// <summary>The dinit-monitor command line (ctl.md §13).</summary>
internal sealed class MonitorOptions
{
    public string? Command { get; set; }
    public bool ExitAfterFirst { get; set; }
    public bool EnvironmentMode { get; set; }
    public bool Initial { get; set; }
    public bool? SystemMode { get; set; }
    public string? SocketPath { get; set; }
    public string Started { get; set; } = "started";
    public string Stopped { get; set; } = "stopped";
    public string Failed { get; set; } = "failed";
    public string Set { get; set; } = "set";
    public string Unset { get; set; } = "unset";
    public List<string> Names { get; } = [];
}
