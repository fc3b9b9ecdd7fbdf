using Tinyinit.Native;
using Tinyinit.Engine;
using Tinyinit.Loader;

namespace Tinyinit.Daemon.Os;

/// <summary>Descriptors prepared for one launch; the caller closes the child-side ends after spawning.</summary>
internal sealed class LaunchFds : IDisposable
{
    public int StdIn = -1, StdOut = -1, ReadyRead = -1, ReadyWrite = -1;

    /// <summary>Closes the manager's copies of what the child now owns.</summary>
    public void CloseChildSide()
    {
        FileDescriptors.Close(ref StdIn);
        FileDescriptors.Close(ref StdOut);
        FileDescriptors.Close(ref ReadyWrite);
    }

    public void Dispose()
    {
        CloseChildSide();
        FileDescriptors.Close(ref ReadyRead);
    }
}

/// <summary>
/// Turns a service description into a <see cref="SpawnRequest"/> (semantics.md §9.6, §13.1,
/// §16): argv, environment (global environment overridden by the service's own, plus the
/// readiness variable), working directory, standard descriptors, the readiness pipe, and the
/// settings the launcher applies in the child (run-as, rlimits, nice, ioprio, oom-score-adj;
/// the console, cgroup and capabilities come with <see cref="PrivilegeSettings"/>).
/// <see cref="UnsupportedSettings"/> names the settings the launcher cannot apply yet.
/// </summary>
internal static class ServiceCommandBuilder
{
    public static bool OnConsole(ServiceDescription d, CommandKind kind) =>
        kind == CommandKind.Start &&
        (d.Options & (ServiceOptions.RunsOnConsole | ServiceOptions.StartsOnConsole | ServiceOptions.SharesConsole)) != 0;

    /// <returns>The request, or null with a stage and errno when a descriptor could not be prepared.</returns>
    public static SpawnRequest? Build(ServiceDescription d, CommandKind kind, IReadOnlyDictionary<string, string> globalEnv,
        LaunchFds fds, out string failedStage, out int errno)
    {
        failedStage = "";
        errno = 0;
        var argv = kind == CommandKind.Start ? d.Command : d.StopCommand;
        var env = ProcessEnvironment(d, globalEnv);
        var mappings = new List<(int, int)>();
        var onConsole = OnConsole(d, kind);

        if (kind == CommandKind.Start && d.Type == ServiceType.Process && d.ReadyNotification is { } ready)
        {
            if (!FileDescriptors.TryPipe(out fds.ReadyRead, out fds.ReadyWrite, out errno))
            {
                failedStage = "arranging file descriptors";
                return null;
            }
            var target = ready.Kind == ReadyNotificationKind.PipeFd ? ready.Fd : 3;
            if (ready.Kind == ReadyNotificationKind.PipeVar) env[ready.Variable!] = target.ToString();
            mappings.Add((fds.ReadyWrite, target));
        }

        if (!onConsole)
        {
            fds.StdIn = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            fds.StdOut = OpenOutput(d, kind, out errno);
            if (fds.StdOut < 0)
            {
                failedStage = "opening log file";
                return null;
            }
            // Standard descriptors first: a readiness fd numbered 0-2 must win over them.
            mappings.InsertRange(0, [(fds.StdIn, 0), (fds.StdOut, 1), (fds.StdOut, 2)]);
        }

        return new SpawnRequest
        {
            Argv = argv,
            Environment = env.Select(kv => kv.Key + "=" + kv.Value).ToList(),
            WorkingDirectory = string.IsNullOrEmpty(d.WorkingDirectory) ? NullIfEmpty(d.ServiceDirectory) : d.WorkingDirectory,
            NewSession = !onConsole,
            FdMappings = mappings,
            Rlimits = Limits(d),
            Nice = d.Nice is { } nice ? Math.Clamp(nice, MinNice, MaxNice) : null,
            IoPriority = d.IoPriority is { } io ? (int)io.Class << IoprioClassShift | io.Level : null,
            OomScoreAdj = d.OomScoreAdj,
            Identity = d.RunAs is { } runAs ? RunAsIdentity.Resolve(runAs) : null,
        };
    }

    /// <summary>Linux's nice range: service-files.md §6.25 clamps the setting to it.</summary>
    private const int MinNice = -20, MaxNice = 19;
    private const int IoprioClassShift = 13;

    private static List<SpawnRlimit> Limits(ServiceDescription d)
    {
        var limits = new List<SpawnRlimit>();
        if (d.RlimitNofile is { } nofile) limits.Add(new SpawnRlimit(Libc.RLIMIT_NOFILE, nofile.Soft, nofile.Hard));
        if (d.RlimitCore is { } core) limits.Add(new SpawnRlimit(Libc.RLIMIT_CORE, core.Soft, core.Hard));
        if (d.RlimitData is { } data) limits.Add(new SpawnRlimit(Libc.RLIMIT_DATA, data.Soft, data.Hard));
        if (d.RlimitAddrspace is { } addrspace) limits.Add(new SpawnRlimit(Libc.RLIMIT_AS, addrspace.Soft, addrspace.Hard));
        return limits;
    }

    /// <summary>
    /// semantics.md §16: the global environment as of now (none with <c>!clear</c>, minus
    /// <c>!unset</c> names), overridden by the service's own load environment.
    /// </summary>
    public static Dictionary<string, string> ProcessEnvironment(ServiceDescription d, IReadOnlyDictionary<string, string> globalEnv)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!d.ClearsGlobalEnvironment)
            foreach (var (k, v) in globalEnv)
                if (!d.UnsetEnvironment.Contains(k)) env[k] = v;
        foreach (var (k, v) in d.Environment) env[k] = v;
        return env;
    }

    private static int OpenOutput(ServiceDescription d, CommandKind kind, out int errno)
    {
        errno = 0;
        if (d.LogType == LogType.File && !string.IsNullOrEmpty(d.LogFile))
        {
            var fd = Libc.open(d.LogFile, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NOCTTY, d.LogFilePermissions);
            if (fd < 0) errno = Libc.Errno;
            return fd;
        }
        var devNull = Libc.open("/dev/null", Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        if (devNull < 0) errno = Libc.Errno;
        return devNull;
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>Settings the launcher cannot apply yet.</summary>
    public static IEnumerable<string> UnsupportedSettings(ServiceDescription d)
    {
        if (d.SocketListen != null) yield return "socket-listen";
        if (d.LogType is LogType.Buffer or LogType.Pipe) yield return "log-type = " + d.LogType.ToString().ToLowerInvariant();
    }
}
