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
    public UserSpec? RunAs
    {
        get => _uncommon == null ? default : _uncommon.RunAs;
        set { if (_uncommon != null || value is not null) Uncommon.RunAs = value; }
    }
    /// <summary>Variables from env-file and load-options (highest priority, semantics.md §16).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; set; } = EmptyMap;

    /// <summary>
    /// True when the env-file used <c>!clear</c>: processes inherit nothing from the global
    /// environment, only <see cref="Environment"/> (service-files.md §9).
    /// </summary>
    public bool ClearsGlobalEnvironment
    {
        get => _uncommon == null ? default : _uncommon.ClearsGlobalEnvironment;
        set { if (_uncommon != null || value) Uncommon.ClearsGlobalEnvironment = value; }
    }
    /// <summary>Global variables removed by the env-file's <c>!unset</c> (not inherited by processes).</summary>
    public IReadOnlyCollection<string> UnsetEnvironment
    {
        get => _uncommon == null ? EmptyNames : _uncommon.UnsetEnvironment;
        set { if (_uncommon != null || !ReferenceEquals(value, EmptyNames)) Uncommon.UnsetEnvironment = value; }
    }
    /// <summary>The env-file path as resolved at load time (null when not set).</summary>
    public string? EnvFile
    {
        get => _uncommon == null ? default : _uncommon.EnvFile;
        set { if (_uncommon != null || value is not null) Uncommon.EnvFile = value; }
    }

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
    public string? ChainTo
    {
        get => _uncommon == null ? default : _uncommon.ChainTo;
        set { if (_uncommon != null || value is not null) Uncommon.ChainTo = value; }
    }

    /// <summary>The first activation socket (<c>socket-listen</c>), or null when there is none.</summary>
    public string? SocketListen
    {
        get => SocketListenPaths.Count == 0 ? null : SocketListenPaths[0];
        set => SocketListenPaths = value == null ? [] : [value];
    }
    /// <summary>
    /// Every activation socket in descriptor order (fd 3, 4, …): <c>socket-listen = PATH</c>
    /// gives one, each <c>socket-listen += PATH</c> adds one (a tinyinit extension). A path
    /// starting with <c>@</c> names an abstract socket (no file).
    /// </summary>
    public IReadOnlyList<string> SocketListenPaths
    {
        get => _uncommon == null ? [] : _uncommon.SocketListenPaths;
        set { if (_uncommon != null || value.Count > 0) Uncommon.SocketListenPaths = value; }
    }
    public int SocketPermissions
    {
        get => _uncommon == null ? DefaultSocketPermissions : _uncommon.SocketPermissions;
        set { if (_uncommon != null || value != DefaultSocketPermissions) Uncommon.SocketPermissions = value; }
    }
    public UserSpec? SocketUid
    {
        get => _uncommon == null ? default : _uncommon.SocketUid;
        set { if (_uncommon != null || value is not null) Uncommon.SocketUid = value; }
    }
    public GroupSpec? SocketGid
    {
        get => _uncommon == null ? default : _uncommon.SocketGid;
        set { if (_uncommon != null || value is not null) Uncommon.SocketGid = value; }
    }

    /// <summary>Signal number sent to stop the process; 0 means <c>none</c>.</summary>
    public int TermSignal { get; set; } = 15;
    public ReadyNotification? ReadyNotification { get; set; }
    /// <summary>tinyinit's <c>ready-notification = sd_notify</c>.</summary>
    public bool UsesSdNotify => ReadyNotification?.Kind == ReadyNotificationKind.SdNotify;
    /// <summary>tinyinit's <c>watchdog-timeout</c> (sd_notify services): the longest time between
    /// two <c>WATCHDOG=1</c> before the process is killed; zero disables the watchdog.</summary>
    public TimeSpan WatchdogTimeout
    {
        get => _uncommon == null ? default : _uncommon.WatchdogTimeout;
        set { if (_uncommon != null || value != default) Uncommon.WatchdogTimeout = value; }
    }

    public LogType LogType { get; set; } = LogType.None;
    public string? LogFile
    {
        get => _uncommon == null ? default : _uncommon.LogFile;
        set { if (_uncommon != null || value is not null) Uncommon.LogFile = value; }
    }
    public int LogFilePermissions
    {
        get => _uncommon == null ? DefaultLogFilePermissions : _uncommon.LogFilePermissions;
        set { if (_uncommon != null || value != DefaultLogFilePermissions) Uncommon.LogFilePermissions = value; }
    }
    public UserSpec? LogFileUid
    {
        get => _uncommon == null ? default : _uncommon.LogFileUid;
        set { if (_uncommon != null || value is not null) Uncommon.LogFileUid = value; }
    }
    public GroupSpec? LogFileGid
    {
        get => _uncommon == null ? default : _uncommon.LogFileGid;
        set { if (_uncommon != null || value is not null) Uncommon.LogFileGid = value; }
    }
    public int LogBufferSize
    {
        get => _uncommon == null ? DefaultLogBufferSize : _uncommon.LogBufferSize;
        set { if (_uncommon != null || value != DefaultLogBufferSize) Uncommon.LogBufferSize = value; }
    }
    public string? ConsumerOf
    {
        get => _uncommon == null ? default : _uncommon.ConsumerOf;
        set { if (_uncommon != null || value is not null) Uncommon.ConsumerOf = value; }
    }

    public ServiceOptions Options { get; set; }
    public LoadOptions LoadOptions { get; set; }

    public string? InittabId
    {
        get => _uncommon == null ? default : _uncommon.InittabId;
        set { if (_uncommon != null || value is not null) Uncommon.InittabId = value; }
    }
    public string? InittabLine
    {
        get => _uncommon == null ? default : _uncommon.InittabLine;
        set { if (_uncommon != null || value is not null) Uncommon.InittabLine = value; }
    }

    public ResourceLimit? RlimitNofile
    {
        get => _uncommon == null ? default : _uncommon.RlimitNofile;
        set { if (_uncommon != null || value is not null) Uncommon.RlimitNofile = value; }
    }
    public ResourceLimit? RlimitCore
    {
        get => _uncommon == null ? default : _uncommon.RlimitCore;
        set { if (_uncommon != null || value is not null) Uncommon.RlimitCore = value; }
    }
    public ResourceLimit? RlimitData
    {
        get => _uncommon == null ? default : _uncommon.RlimitData;
        set { if (_uncommon != null || value is not null) Uncommon.RlimitData = value; }
    }
    public ResourceLimit? RlimitAddrspace
    {
        get => _uncommon == null ? default : _uncommon.RlimitAddrspace;
        set { if (_uncommon != null || value is not null) Uncommon.RlimitAddrspace = value; }
    }
    public int? Nice
    {
        get => _uncommon == null ? default : _uncommon.Nice;
        set { if (_uncommon != null || value.HasValue) Uncommon.Nice = value; }
    }
    public string? RunInCgroup
    {
        get => _uncommon == null ? default : _uncommon.RunInCgroup;
        set { if (_uncommon != null || value is not null) Uncommon.RunInCgroup = value; }
    }
    public string? Capabilities
    {
        get => _uncommon == null ? default : _uncommon.Capabilities;
        set { if (_uncommon != null || value is not null) Uncommon.Capabilities = value; }
    }
    public SecureBits SecureBits
    {
        get => _uncommon == null ? default : _uncommon.SecureBits;
        set { if (_uncommon != null || value != SecureBits.None) Uncommon.SecureBits = value; }
    }
    public IoPriority? IoPriority
    {
        get => _uncommon == null ? default : _uncommon.IoPriority;
        set { if (_uncommon != null || value is not null) Uncommon.IoPriority = value; }
    }
    public int? OomScoreAdj
    {
        get => _uncommon == null ? default : _uncommon.OomScoreAdj;
        set { if (_uncommon != null || value.HasValue) Uncommon.OomScoreAdj = value; }
    }

    /// <summary><c>@meta</c> lines (e.g. <c>enable-via</c>) keyed by their first word.</summary>
    public IReadOnlyDictionary<string, string> Meta
    {
        get => _uncommon == null ? EmptyMap : _uncommon.Meta;
        set { if (_uncommon != null || !ReferenceEquals(value, EmptyMap)) Uncommon.Meta = value; }
    }

    /// <summary>True for a record created only to hold before/after/consumer-of links.</summary>
    public bool IsPlaceholder { get; set; }

    private const int DefaultSocketPermissions = 0x1B6;   // 0666
    private const int DefaultLogFilePermissions = 0x180;  // 0600
    private const int DefaultLogBufferSize = 4096;
    private static readonly IReadOnlyCollection<string> EmptyNames = [];
    private static readonly IReadOnlyDictionary<string, string> EmptyMap = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    // Most services set none of these: they live in a second object made on the first
    // non-default value, so that a plain description stays small (the manager keeps one per
    // loaded service for its whole life).
    private UncommonSettings? _uncommon;
    private UncommonSettings Uncommon => _uncommon ??= new UncommonSettings();

    private sealed class UncommonSettings
    {
        public UserSpec? RunAs;
        public bool ClearsGlobalEnvironment;
        public IReadOnlyCollection<string> UnsetEnvironment = EmptyNames;
        public string? EnvFile;
        public string? ChainTo;
        public IReadOnlyList<string> SocketListenPaths = [];
        public int SocketPermissions = DefaultSocketPermissions;
        public UserSpec? SocketUid;
        public GroupSpec? SocketGid;
        public string? LogFile;
        public int LogFilePermissions = DefaultLogFilePermissions;
        public UserSpec? LogFileUid;
        public GroupSpec? LogFileGid;
        public int LogBufferSize = DefaultLogBufferSize;
        public string? ConsumerOf;
        public string? InittabId;
        public string? InittabLine;
        public ResourceLimit? RlimitNofile;
        public ResourceLimit? RlimitCore;
        public ResourceLimit? RlimitData;
        public ResourceLimit? RlimitAddrspace;
        public int? Nice;
        public string? RunInCgroup;
        public string? Capabilities;
        public SecureBits SecureBits;
        public IoPriority? IoPriority;
        public int? OomScoreAdj;
        public IReadOnlyDictionary<string, string> Meta = EmptyMap;
        public TimeSpan WatchdogTimeout;
    }

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

/// <summary><see cref="SdNotify"/> is tinyinit's own value (<c>sd_notify</c>): readiness
/// and more arrive as datagrams on the manager's notification socket (<c>NOTIFY_SOCKET</c>).</summary>
public enum ReadyNotificationKind { PipeFd, PipeVar, SdNotify }

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
