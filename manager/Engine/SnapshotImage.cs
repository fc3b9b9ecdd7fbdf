using Tinyinit.Loader;
using F = Tinyinit.Engine.SnapshotFormat;

namespace Tinyinit.Engine;

/// <summary>
/// A snapshot parsed and checked, before anything is restored: <see cref="ServiceSet.Restore"/>
/// either applies a complete image or changes nothing. Fields absent from the record keep the
/// zero values below, which is what the writer leaves out.
/// </summary>
internal sealed class SnapshotImage
{
    public int Version;
    public bool ShuttingDown;
    public ShutdownType ShutdownType;
    public int ActiveCount;
    public bool AllStoppedPending;
    public int LaunchTurn;
    public int PinnedStartedCount;
    /// <summary>Index + 1; 0 when the manager holds the console.</summary>
    public int ConsoleHolder;
    public readonly List<int> ConsoleQueue = [];
    public readonly List<ServiceImage> Services = [];
    public readonly List<LinkImage> Links = [];
    public readonly List<LaunchImage> Launches = [];
    public readonly List<(int Pid, int Service)> Pids = [];

    public sealed class ServiceImage
    {
        public string Name = "";
        public string SourcePath = "";
        public bool Placeholder;
        public ServiceType Type;
        public F.ServiceFlags Flags;
        public ServiceState State;
        public ServiceState TargetState;
        public StopReason StopReason;
        public int Pid, StopCommandPid, ExitStatus, ExecFailureErrno, RequiredBy, RestartIntervalCount;
        public string ExecFailureStage = "";
        public TimerPurpose Timer;
        public TimeSpan TimerDueAt, LastLaunch, RestartIntervalStart, StopTimeout, StartTimeout;
        public byte[] DescriptionStamp = [];
        public ServiceOptions Options;
        public int TermSignal;
        public string? PidFile;
        public string NotifyStatus = "";
        public TimeSpan WatchdogTimeout;

        public bool Has(F.ServiceFlags flag) => (Flags & flag) != 0;
    }

    public sealed class LinkImage
    {
        public int From, To, DeclaredBy;
        public DependencyType Type;
        public bool Holding, WaitingOn;
        /// <summary>Place among the target's dependents; -1 when absent.</summary>
        public int DependentPosition = -1;
    }

    public sealed class LaunchImage
    {
        public int Service, Pid, Errno, Turn;
        public CommandKind Kind;
        public string Stage = "";
    }

    public static SnapshotImage Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < F.Magic.Length || !data[..F.Magic.Length].SequenceEqual(F.Magic))
            throw new SnapshotFormatException("not an engine snapshot");
        var reader = new SnapshotReader(data[F.Magic.Length..]);
        var image = new SnapshotImage { Version = CheckedInt(reader.Varint()) };
        int oldestReader = CheckedInt(reader.Varint());
        if (oldestReader > F.Version)
            throw new SnapshotFormatException($"snapshot format {image.Version} needs a manager that reads format {oldestReader}; this one reads {F.Version}");
        while (reader.Next())
        {
            switch (reader.Tag)
            {
                case F.GlobalsTag when reader.Kind == SnapshotWriter.BytesKind: image.ReadGlobals(reader.Bytes()); break;
                case F.ServiceTag when reader.Kind == SnapshotWriter.BytesKind: image.Services.Add(ReadService(reader.Bytes())); break;
                case F.LinkTag when reader.Kind == SnapshotWriter.BytesKind: image.Links.Add(ReadLink(reader.Bytes())); break;
                case F.LaunchTag when reader.Kind == SnapshotWriter.BytesKind: image.Launches.Add(ReadLaunch(reader.Bytes())); break;
                case F.PidTag when reader.Kind == SnapshotWriter.BytesKind: image.Pids.Add(ReadPid(reader.Bytes())); break;
                default: reader.Skip(); break;
            }
        }
        image.Check();
        return image;
    }

    private static int CheckedInt(ulong value) =>
        value <= int.MaxValue ? (int)value : throw new SnapshotFormatException("number out of range");

    private void ReadGlobals(ReadOnlySpan<byte> data)
    {
        var r = new SnapshotReader(data);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case F.Globals.ShuttingDown: ShuttingDown = r.Bool(); break;
                case F.Globals.ShutdownType: ShutdownType = Defined<ShutdownType>(r.Unsigned(), "shutdown type"); break;
                case F.Globals.ActiveCount: ActiveCount = r.Int32(); break;
                case F.Globals.AllStoppedPending: AllStoppedPending = r.Bool(); break;
                case F.Globals.LaunchTurn: LaunchTurn = r.Int32(); break;
                case F.Globals.PinnedStartedCount: PinnedStartedCount = r.Int32(); break;
                case F.Globals.ConsoleHolder: ConsoleHolder = r.Index(); break;
                case F.Globals.ConsoleQueueEntry: ConsoleQueue.Add(r.Index()); break;
                default: r.Skip(); break;
            }
        }
    }

    private static ServiceImage ReadService(ReadOnlySpan<byte> data)
    {
        var s = new ServiceImage();
        var r = new SnapshotReader(data);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case F.Service.Name: s.Name = r.String(); break;
                case F.Service.SourcePath: s.SourcePath = r.String(); break;
                case F.Service.Placeholder: s.Placeholder = r.Bool(); break;
                case F.Service.Type: s.Type = Defined<ServiceType>(r.Unsigned(), "service type"); break;
                // Unknown bits are flags of a newer manager: dropped like unknown fields.
                case F.Service.Flags: s.Flags = (F.ServiceFlags)r.Unsigned(); break;
                case F.Service.State: s.State = Defined<ServiceState>(r.Unsigned(), "state"); break;
                case F.Service.TargetState: s.TargetState = Defined<ServiceState>(r.Unsigned(), "target state"); break;
                case F.Service.StopReason: s.StopReason = Defined<StopReason>(r.Unsigned(), "stop reason"); break;
                case F.Service.Pid: s.Pid = r.Int32(); break;
                case F.Service.StopCommandPid: s.StopCommandPid = r.Int32(); break;
                case F.Service.ExitStatus: s.ExitStatus = r.Int32(); break;
                case F.Service.ExecFailureStage: s.ExecFailureStage = r.String(); break;
                case F.Service.ExecFailureErrno: s.ExecFailureErrno = r.Int32(); break;
                case F.Service.RequiredBy: s.RequiredBy = r.Int32(); break;
                case F.Service.Timer: s.Timer = Defined<TimerPurpose>(r.Unsigned(), "timer"); break;
                case F.Service.TimerDueAt: s.TimerDueAt = r.Time(); break;
                case F.Service.LastLaunch: s.LastLaunch = r.Time(); break;
                case F.Service.RestartIntervalStart: s.RestartIntervalStart = r.Time(); break;
                case F.Service.RestartIntervalCount: s.RestartIntervalCount = r.Int32(); break;
                case F.Service.DescriptionStamp: s.DescriptionStamp = r.Bytes().ToArray(); break;
                case F.Service.Options: s.Options = (ServiceOptions)r.Unsigned(); break;
                case F.Service.TermSignal: s.TermSignal = r.Int32(); break;
                case F.Service.StopTimeout: s.StopTimeout = r.Time(); break;
                case F.Service.StartTimeout: s.StartTimeout = r.Time(); break;
                case F.Service.PidFile: s.PidFile = r.String(); break;
                case F.Service.NotifyStatus: s.NotifyStatus = r.String(); break;
                case F.Service.WatchdogDueAt: (s.Timer, s.TimerDueAt) = (TimerPurpose.Watchdog, r.Time()); break;
                case F.Service.WatchdogTimeout: s.WatchdogTimeout = r.Time(); break;
                default: r.Skip(); break;
            }
        }
        return s;
    }

    private static LinkImage ReadLink(ReadOnlySpan<byte> data)
    {
        var link = new LinkImage();
        var r = new SnapshotReader(data);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case F.Link.From: link.From = r.Index(); break;
                case F.Link.To: link.To = r.Index(); break;
                case F.Link.Type: link.Type = Defined<DependencyType>(r.Unsigned(), "dependency type"); break;
                case F.Link.DeclaredBy: link.DeclaredBy = r.Index(); break;
                case F.Link.Flags:
                    ulong flags = r.Unsigned();
                    link.Holding = (flags & F.Link.Holding) != 0;
                    link.WaitingOn = (flags & F.Link.WaitingOn) != 0;
                    break;
                case F.Link.DependentPosition: link.DependentPosition = r.Index(); break;
                default: r.Skip(); break;
            }
        }
        return link;
    }

    private static LaunchImage ReadLaunch(ReadOnlySpan<byte> data)
    {
        var launch = new LaunchImage();
        var r = new SnapshotReader(data);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case F.Launch.Service: launch.Service = r.Index(); break;
                case F.Launch.Kind: launch.Kind = Defined<CommandKind>(r.Unsigned(), "command kind"); break;
                case F.Launch.Pid: launch.Pid = r.Int32(); break;
                case F.Launch.Stage: launch.Stage = r.String(); break;
                case F.Launch.Errno: launch.Errno = r.Int32(); break;
                case F.Launch.Turn: launch.Turn = r.Int32(); break;
                default: r.Skip(); break;
            }
        }
        return launch;
    }

    private static (int, int) ReadPid(ReadOnlySpan<byte> data)
    {
        int pid = 0, service = 0;
        var r = new SnapshotReader(data);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case F.Pid.Value: pid = r.Int32(); break;
                case F.Pid.Service: service = r.Index(); break;
                default: r.Skip(); break;
            }
        }
        return (pid, service);
    }

    private static T Defined<T>(ulong value, string what) where T : struct, Enum
    {
        if (value <= int.MaxValue)
        {
            var candidate = (T)Enum.ToObject(typeof(T), (int)value);
            if (Enum.IsDefined(candidate)) return candidate;
        }
        throw new SnapshotFormatException($"unknown {what} {value}");
    }

    /// <summary>References and names must be sound before anything is built from them.</summary>
    private void Check()
    {
        int count = Services.Count;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Services)
        {
            if (s.Name.Length == 0) throw new SnapshotFormatException("service without a name");
            if (!names.Add(s.Name)) throw new SnapshotFormatException($"service '{s.Name}' appears twice");
            if (s.Pid < 0 || s.StopCommandPid < 0 || s.RequiredBy < 0) throw new SnapshotFormatException($"service '{s.Name}': negative count or pid");
        }
        void Index(int index, string what)
        {
            if (index < 0 || index >= count) throw new SnapshotFormatException($"{what} refers to service {index} of {count}");
        }
        foreach (var link in Links)
        {
            Index(link.From, "a link");
            Index(link.To, "a link");
            Index(link.DeclaredBy, "a link");
            if (link.From == link.To) throw new SnapshotFormatException($"service '{Services[link.From].Name}' depends on itself");
        }
        foreach (var launch in Launches) Index(launch.Service, "a launch outcome");
        var pids = new HashSet<int>();
        foreach (var (pid, service) in Pids)
        {
            Index(service, "a pid");
            if (pid <= 0 || !pids.Add(pid)) throw new SnapshotFormatException($"pid {pid} invalid or listed twice");
        }
        if (ConsoleHolder > 0) Index(ConsoleHolder - 1, "the console holder");
        var queued = new HashSet<int>();
        foreach (var index in ConsoleQueue)
        {
            Index(index, "the console queue");
            if (!queued.Add(index)) throw new SnapshotFormatException("a service is queued for the console twice");
        }
    }
}
