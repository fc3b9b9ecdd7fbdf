namespace Tinyinit.Loader;

/// <summary>
/// Everything a service description file says, after parsing, substitution and load-time
/// validation (service-files.md §6–§8). The loader produces it; the engine and the process
/// launcher consume it and never re-read the file. Defaults are the spec's defaults.
/// </summary>
public sealed class ServiceDescription
{
    /// <summary>Full name, <c>base</c> or <c>base@argument</c>.</summary>
    public required string Name { get; init; }
    /// <summary>The file this description came from (empty for placeholders and tests).</summary>
    public string SourcePath { get; set; } = "";
    /// <summary>The service directory the file was found in (default working directory).</summary>
    public string ServiceDirectory { get; set; } = "";

    public ServiceType Type { get; set; } = ServiceType.Internal;
    /// <summary>argv of the start command after substitution; empty when not set.</summary>
    public IReadOnlyList<string> Command { get; set; } = [];
    public IReadOnlyList<string> StopCommand { get; set; } = [];
    public string? WorkingDirectory { get; set; }
    public UserSpec? RunAs { get; set; }
    /// <summary>Variables from env-file and load-options (highest priority, semantics.md §16).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// True when the env-file used <c>!clear</c>: processes inherit nothing from the global
    /// environment, only <see cref="Environment"/> (service-files.md §9).
    /// </summary>
    public bool ClearsGlobalEnvironment { get; set; }
    /// <summary>Global variables removed by the env-file's <c>!unset</c> (not inherited by processes).</summary>
    public IReadOnlyCollection<string> UnsetEnvironment { get; set; } = [];
    /// <summary>The env-file path as resolved at load time (null when not set).</summary>
    public string? EnvFile { get; set; }

    /// <summary>Dependencies in file order (a repeated line makes a repeated link).</summary>
    public IReadOnlyList<DependencySpec> Dependencies { get; set; } = [];

    public RestartMode Restart { get; set; } = RestartMode.Yes;
    public bool SmoothRecovery { get; set; }
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RestartLimitInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>0 disables restart limiting.</summary>
    public int RestartLimitCount { get; set; } = 3;
    /// <summary><see cref="TimeSpan.Zero"/> means no timeout.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public string? PidFile { get; set; }
    public string? ChainTo { get; set; }

    public string? SocketListen { get; set; }
    public int SocketPermissions { get; set; } = Convert.ToInt32("666", 8);
    public UserSpec? SocketUid { get; set; }
    public GroupSpec? SocketGid { get; set; }

    /// <summary>Signal number sent to stop the process; 0 means <c>none</c>.</summary>
    public int TermSignal { get; set; } = 15;
    public ReadyNotification? ReadyNotification { get; set; }

    public LogType LogType { get; set; } = LogType.None;
    public string? LogFile { get; set; }
    public int LogFilePermissions { get; set; } = Convert.ToInt32("600", 8);
    public UserSpec? LogFileUid { get; set; }
    public GroupSpec? LogFileGid { get; set; }
    public int LogBufferSize { get; set; } = 4096;
    public string? ConsumerOf { get; set; }

    public ServiceOptions Options { get; set; }
    public LoadOptions LoadOptions { get; set; }

    public string? InittabId { get; set; }
    public string? InittabLine { get; set; }

    public ResourceLimit? RlimitNofile { get; set; }
    public ResourceLimit? RlimitCore { get; set; }
    public ResourceLimit? RlimitData { get; set; }
    public ResourceLimit? RlimitAddrspace { get; set; }
    public int? Nice { get; set; }
    public string? RunInCgroup { get; set; }
    public string? Capabilities { get; set; }
    public SecureBits SecureBits { get; set; }
    public IoPriority? IoPriority { get; set; }
    public int? OomScoreAdj { get; set; }

    /// <summary><c>@meta</c> lines (e.g. <c>enable-via</c>) keyed by their first word.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; set; } = new Dictionary<string, string>();

    /// <summary>True for a record created only to hold before/after/consumer-of links.</summary>
    public bool IsPlaceholder { get; set; }

    public override string ToString() => Name;
}

public enum ServiceType { Internal, Process, BgProcess, Scripted, Triggered }

/// <summary>Wire values match control-protocol.md §2.4.</summary>
public enum DependencyType : byte
{
    Regular = 0,      // depends-on
    WaitsFor = 2,     // waits-for
    Milestone = 3,    // depends-ms
    Before = 4,       // before (ordering only)
    After = 5,        // after (ordering only)
    PreparedBy = 6,   // prepared-by
}

/// <param name="Name">Full name of the dependency.</param>
/// <param name="Type">Link type.</param>
/// <param name="FromDirectory">True when it came from a <c>.d</c> directory (lenient).</param>
public sealed record DependencySpec(string Name, DependencyType Type, bool FromDirectory = false);

public enum RestartMode { Yes, OnFailure, No }

public enum LogType { None, File, Buffer, Pipe }

public enum ReadyNotificationKind { PipeFd, PipeVar }

/// <param name="Fd">Target fd for <c>pipefd:N</c>.</param>
/// <param name="Variable">Variable name for <c>pipevar:VAR</c>.</param>
public sealed record ReadyNotification(ReadyNotificationKind Kind, int Fd, string? Variable);

/// <summary>A user given by name or number; resolution to uid/gid happens at load time.</summary>
public sealed record UserSpec(string Text, int Uid, int? PrimaryGid, bool ByName);

public sealed record GroupSpec(string Text, int Gid);

/// <summary>Soft/hard limit; null means "unchanged", <see cref="ulong.MaxValue"/> unlimited.</summary>
public sealed record ResourceLimit(ulong? Soft, ulong? Hard);

public enum IoPriorityClass { None = 0, Realtime = 1, BestEffort = 2, Idle = 3 }

public sealed record IoPriority(IoPriorityClass Class, int Level);

[Flags]
public enum ServiceOptions
{
    None = 0,
    RunsOnConsole = 1 << 0,
    StartsOnConsole = 1 << 1,
    SharesConsole = 1 << 2,
    UnmaskIntr = 1 << 3,
    StartsRwfs = 1 << 4,
    StartsLog = 1 << 5,
    PassCsFd = 1 << 6,
    StartInterruptible = 1 << 7,
    Skippable = 1 << 8,
    SignalProcessOnly = 1 << 9,
    AlwaysChain = 1 << 10,
    KillAllOnStop = 1 << 11,
    NoNewPrivs = 1 << 12,
}

[Flags]
public enum LoadOptions
{
    None = 0,
    ExportPasswdVars = 1 << 0,
    ExportServiceName = 1 << 1,
    SubVars = 1 << 2,
}

[Flags]
public enum SecureBits
{
    None = 0,
    NoRoot = 1 << 0,
    NoRootLocked = 1 << 1,
    NoSetuidFixup = 1 << 2,
    NoSetuidFixupLocked = 1 << 3,
    KeepCaps = 1 << 4,
    KeepCapsLocked = 1 << 5,
}
