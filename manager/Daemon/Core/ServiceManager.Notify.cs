using System.Text;
using Tinyinit.Daemon.Core;
using Tinyinit.Daemon.HandOver;
using Tinyinit.Daemon.Notify;
using Tinyinit.Daemon.Os;
using Tinyinit.Engine;
using Tinyinit.Native;
using LogLevel = Tinyinit.Engine.LogLevel;

namespace Tinyinit.Daemon;

// sd_notify (ready-notification = sd_notify): the manager's notification socket, which service a
// datagram speaks for, and the socket's way across a hand-over or crash (section "notify").
//
// Who may speak for a service: the kernel-attested sender pid (SCM_CREDENTIALS) must be the
// service's main process, or a process in the session its start command was launched in (every
// process service gets a session of its own unless it runs on the console). MAINPID= may name
// only such a process or a child of the current main process. Anything else is ignored and
// logged at debug level.
internal sealed partial class ServiceManager
{
    private const string NotifySectionName = "notify";
    private const byte NotifySectionVersion = 1;
    private NotifySocket? _notify;
    private readonly Dictionary<int, MainPidWatch> _mainPidWatches = [];

    /// <summary>The NOTIFY_SOCKET address; opens (and parks) the socket on first use. Null when it cannot be opened.</summary>
    private string? NotifyAddress()
    {
        if (_notify != null) return _notify.Address;
        return OpenNotifySocket(NotifySocket.AddressFor(_socketPath));
    }

    private string? OpenNotifySocket(string address)
    {
        _notify = NotifySocket.Open(_loop, address, OnNotifyDatagram, NotifyDropped, out var error);
        if (_notify == null)
        {
            NotifyLog.SocketProblem(_notifyLog, error);
            return null;
        }
        _notify.ParkKey = _parked.Park(_notify.Fd);
        _daemonStateChanged = true;
        return _notify.Address;
    }

    private void NotifyDropped(string why) => NotifyLog.DatagramIgnored(_notifyLog, why);

    private void OnNotifyDatagram(UCred sender, ReadOnlySpan<byte> datagram)
    {
        var service = NotifyingService(sender.Pid);
        if (service == null)
        {
            NotifyDropped($"datagram from pid {sender.Pid} ignored: not a process of a running sd_notify service");
            return;
        }
        var message = NotifyMessage.Parse(datagram);
        if (message.IgnoredLines > 0) NotifyDropped($"{message.IgnoredLines} line(s) from service {service.Name} ignored");
        if (message.MainPid is { } pid) AcceptMainPid(service, pid);
        if (message.Status != null) _services.NotifyStatusText(service, message.Status);
        if (message.Ready) _services.ReadinessReported(service);
        if (message.WatchdogPing) _services.NotifyWatchdog(service);
        if (message.WatchdogTrigger) _services.NotifyWatchdogTrigger(service);
        if (message.Stopping) _services.NotifyStopping(service);
    }

    /// <summary>The running sd_notify service <paramref name="pid"/> may speak for, or null.</summary>
    private ServiceRecord? NotifyingService(int pid)
    {
        if (pid <= 1 || pid == Libc.getpid()) return null;
        if (_services.ServiceOfPid(pid) is { } owner)
            return owner.Pid == pid && owner.Description.UsesSdNotify ? owner : null;   // a stop command speaks for nobody
        var session = Libc.getsid(pid);
        if (session <= 1) return null;
        foreach (var service in _services.Services)
            if (service.Description.UsesSdNotify && service.Pid != 0 && service.SystemState is ServiceOsState { Session: var own } && own == session)
                return service;
        return null;
    }

    private void AcceptMainPid(ServiceRecord service, int pid)
    {
        var session = (service.SystemState as ServiceOsState)?.Session ?? 0;
        var belongs = (session > 0 && Libc.getsid(pid) == session) || ProcStat.Read(pid)?.ParentPid == service.Pid;
        var refusal = belongs ? _services.NotifyMainPid(service, pid) : "it is not a process of the service (its session, or a child of its main process)";
        if (refusal != null) NotifyLog.MainPidRefused(_notifyLog, service.Name, pid, refusal);
        else WatchMainPidIfNotOurs(service.Pid, recovered: false);
    }

    /// <summary>
    /// A main process that is not our child ends without a SIGCHLD for us when its own parent
    /// reaps it: a pidfd tells. (One reparented to us, the subreaper, is reaped as usual; after a
    /// crash, PID 1's children are reported by tinyinit.)
    /// </summary>
    private void WatchMainPidIfNotOurs(int pid, bool recovered)
    {
        var parent = ProcStat.Read(pid)?.ParentPid;
        if (parent == null || parent == Libc.getpid() || (recovered && parent == Libc.getppid()) || _mainPidWatches.ContainsKey(pid)) return;
        if (MainPidWatch.Start(_loop, pid, MainPidEnded) is { } watch) _mainPidWatches[pid] = watch;
    }

    private unsafe void MainPidEnded(int pid)
    {
        _mainPidWatches.Remove(pid);
        if (_services.ServiceOfPid(pid) is not { } service || service.Pid != pid) return;   // its exit was already handled
        int status;
        if (Libc.waitpid(pid, &status, Libc.WNOHANG) == pid)
        {
            OnChildExited(pid, status);   // it had become our child after all
            return;
        }
        NotifyLog.MainPidCollectedElsewhere(_notifyLog, service.Name, pid);
        OnChildExited(pid, 0);
    }

    // ---- hand-over and crash ------------------------------------------------------------------

    /// <summary>The section for the hand-over or crash record: the socket (number only when it survives exec), its park key, address and each service's session.</summary>
    private void AddNotifySection(HandOverRecord record, bool withDescriptors)
    {
        if (_notify == null) return;
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(NotifySectionVersion);
            w.Write(withDescriptors ? _notify.Fd : -1);
            w.Write(_notify.ParkKey);
            w.Write(_notify.Address);
            var sessions = _services.Services
                .Where(s => s.Description.UsesSdNotify && s.SystemState is ServiceOsState { Session: > 0 })
                .Select(s => (s.Name, ((ServiceOsState)s.SystemState!).Session)).ToList();
            w.Write(sessions.Count);
            foreach (var (name, session) in sessions)
            {
                w.Write(name);
                w.Write(session);
            }
        }
        record.Sections[NotifySectionName] = stream.ToArray();
    }

    private readonly record struct NotifySection(int Fd, int ParkKey, string Address, List<(string Service, int Session)> Sessions);

    private NotifySection? ReadNotifySection(HandOverRecord record)
    {
        if (!record.Sections.TryGetValue(NotifySectionName, out var payload)) return null;
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            if (r.ReadByte() != NotifySectionVersion) throw new FormatException("unknown version");
            var section = new NotifySection(r.ReadInt32(), r.ReadInt32(), r.ReadString(), []);
            for (var n = r.ReadInt32(); n > 0; n--) section.Sessions.Add((r.ReadString(), r.ReadInt32()));
            return section;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            NotifyLog.SectionUnreadable(_notifyLog, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Successor start-up (after the engine is restored): the socket comes back by number (planned
    /// hand-over) or from tinyinit (crash); if neither, a new one is bound at the same address so
    /// the services' NOTIFY_SOCKET still reaches the manager.
    /// </summary>
    private void AdoptNotifySocket(HandOverRecord record, bool crashed)
    {
        foreach (var service in _services.Services)
            if (service.Description.UsesSdNotify && service.Type == Tinyinit.Loader.ServiceType.Process && service.Pid > 0)
                WatchMainPidIfNotOurs(service.Pid, recovered: crashed);
        if (ReadNotifySection(record) is not { } section) return;
        foreach (var (name, session) in section.Sessions)
            if (_services.Find(name) is { } service) ServiceOsState.Of(service).Session = session;
        var fd = section.Fd;
        if (crashed) fd = section.ParkKey > 0 && _parked.TryTake(section.ParkKey, out var parked) ? parked : -1;
        if (fd >= 0)
        {
            _notify = NotifySocket.Adopt(_loop, fd, section.Address, OnNotifyDatagram, NotifyDropped, out var error);
            if (_notify != null)
            {
                _notify.ParkKey = section.ParkKey;
                return;
            }
            NotifyLog.SocketProblem(_notifyLog, error);
        }
        _parked.Release(section.ParkKey);
        if (_services.Services.Any(s => s.Description.UsesSdNotify && s.Pid != 0))
        {
            NotifyLog.SocketRebound(_notifyLog, section.Address);
            OpenNotifySocket(section.Address);
        }
    }
}
