using Tinyinit.Native;
using Tinyinit.Engine;

namespace Tinyinit.Daemon.Core;

/// <summary>What the manager keeps about a service outside the engine (in <see cref="ServiceRecord.SystemState"/>).</summary>
internal sealed class ServiceOsState
{
    public ReadinessPipe? Readiness;
    /// <summary>socket-listen: open from the first start until the service becomes inactive.</summary>
    public ActivationSockets? Sockets;
    /// <summary>bgprocess: start time (/proc clock ticks) of the latest launcher; a pid file naming an older process is refused.</summary>
    public ulong LauncherStartTime;
    /// <summary>bgprocess: the pid accepted from the pid file and its start time, to re-check before signalling an untracked process.</summary>
    public int ProvenPid;
    public ulong ProvenStartTime;
    /// <summary>sd_notify: the session the latest start command was launched in (its pid; 0 when it shares the manager's): its processes may notify for the service.</summary>
    public int Session;
    /// <summary>Modification time of the description file when it was loaded (SERVICESTATUS6).</summary>
    public long DescriptionSeconds, DescriptionNanoseconds;

    public static ServiceOsState Of(ServiceRecord service) =>
        service.SystemState as ServiceOsState ?? (ServiceOsState)(service.SystemState = new ServiceOsState());

    /// <summary>Records the description file's current modification time (0 when it cannot be read).</summary>
    public void RecordDescriptionTime(string path)
    {
        DescriptionSeconds = DescriptionNanoseconds = 0;
        if (string.IsNullOrEmpty(path) || Libc.statx(path, out var stat) != 0) return;
        DescriptionSeconds = stat.MtimeSeconds;
        DescriptionNanoseconds = stat.MtimeNanoseconds;
    }
}
