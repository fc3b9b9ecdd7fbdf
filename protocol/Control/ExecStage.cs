namespace Tinyinit.Protocol.Control;

/// <summary>The step of process launch that failed (control-protocol.md §2.6) and the text clients print for it.</summary>
public static class ExecStage
{
    public const ushort ArrangeFds = 0;
    public const ushort ReadEnvFile = 1;
    public const ushort SetNotifyFdVar = 2;
    public const ushort SetupActivationSocket = 3;
    public const ushort SetupControlSocket = 4;
    public const ushort ChangeDirectory = 5;
    public const ushort SetupStdInOutErr = 6;
    public const ushort EnterCgroup = 7;
    public const ushort SetRlimits = 8;
    public const ushort SetUidGid = 9;
    public const ushort OpenLogFile = 10;
    public const ushort SetCapabilities = 11;
    public const ushort SetPriority = 12;
    public const ushort DoExec = 18;

    private static readonly string[] Descriptions =
    [
        "arranging file descriptors",
        "reading environment file",
        "setting environment variable",
        "setting up activation socket",
        "setting up control socket",
        "changing directory",
        "setting up standard input/output descriptors",
        "entering cgroup",
        "setting resource limits",
        "setting user/group ID",
        "opening log file",
        "setting capabilities",
        "setting I/O priority",
        "", "", "", "", "",
        "executing command",
    ];

    /// <summary>Description printed by clients; empty for spare or unknown stages.</summary>
    public static string Describe(ushort stage) => stage < Descriptions.Length ? Descriptions[stage] : "";
}
