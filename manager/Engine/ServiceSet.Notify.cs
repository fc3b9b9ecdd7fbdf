using Tinyinit.Loader;

namespace Tinyinit.Engine;

// tinyinit's sd_notify support (ready-notification = sd_notify, watchdog-timeout): what the
// messages a service sends to the manager's notification socket mean for the engine. The
// daemon receives the datagrams, checks that the sender belongs to the service and parses the
// lines; READY=1 arrives through ReadinessReported like a readiness pipe's byte.
public sealed partial class ServiceSet
{
    /// <summary>The service whose main process (or launcher, or stop command) has this pid, or null.</summary>
    public ServiceRecord? ServiceOfPid(int pid) => byPid.GetValueOrDefault(pid);

    /// <summary><c>STATUS=…</c>: the service's own words about itself, shown by status (kept until its next launch).</summary>
    public void NotifyStatusText(ServiceRecord service, string text)
    {
        changeCount++;
        if (service.Pid == 0) return;
        service.NotifyStatus = text;
    }

    /// <summary>
    /// <c>MAINPID=</c>: the process the service is supervised by (its exit ends the service, stop
    /// signals go to it) is <paramref name="pid"/> from now on. The caller has checked that the
    /// pid belongs to the service (same session); the engine refuses what would break its own
    /// bookkeeping. Returns null when accepted, otherwise why not.
    /// </summary>
    public string? NotifyMainPid(ServiceRecord service, int pid)
    {
        changeCount++;
        if (service.Type != ServiceType.Process) return "only a process service may name its main process";
        if (service.State is not (ServiceState.Starting or ServiceState.Started) || service.Pid == 0)
            return "the service is not running";
        if (pid <= 1) return "not a valid pid";
        if (pid == service.Pid) return null;
        if (byPid.TryGetValue(pid, out var owner))
            return owner == service ? "it is the service's stop command" : $"it is the process of service {owner.Name}";
        byPid.Remove(service.Pid);
        system.Log(LogLevel.Info, $"Service {service.Name}: main process is now pid {pid} (was {service.Pid})");
        service.Pid = pid;
        byPid[pid] = service;
        system.ProcessAdopted(service, pid, CommandKind.Start);
        return null;
    }

    /// <summary><c>STOPPING=1</c>: the service is shutting down on its own; its watchdog stops.</summary>
    public void NotifyStopping(ServiceRecord service)
    {
        changeCount++;
        if (service.Pid == 0 || service.notifiedStopping) return;
        service.notifiedStopping = true;
        if (service.timer == TimerPurpose.Watchdog) CancelTimer(service);
    }

    /// <summary><c>WATCHDOG=1</c>: the service is alive; its watchdog starts over.</summary>
    public void NotifyWatchdog(ServiceRecord service)
    {
        changeCount++;
        ArmWatchdog(service);
    }

    /// <summary><c>WATCHDOG=trigger</c>: the service asks to be treated as hung at once.</summary>
    public void NotifyWatchdogTrigger(ServiceRecord service)
    {
        changeCount++;
        if (!WatchdogApplies(service)) return;
        CancelTimer(service);
        WatchdogExpired(service);
        ProcessQueues();
    }

    /// <summary>
    /// The watchdog runs while the service is STARTED with its process ready and not stopping
    /// on its own. It shares the service's single timer: in that state no other timer of the
    /// service is armed (start, stop and restart timers belong to other states).
    /// </summary>
    private bool WatchdogApplies(ServiceRecord service) =>
        service.Description.WatchdogTimeout > TimeSpan.Zero && service.State == ServiceState.Started && service.Pid != 0
        && !service.awaitingReadiness && !service.doingSmoothRecovery && !service.notifiedStopping
        && service.timer is TimerPurpose.None or TimerPurpose.Watchdog;

    private void ArmWatchdog(ServiceRecord service)
    {
        if (WatchdogApplies(service))
            ArmTimer(service, TimerPurpose.Watchdog, system.Now + service.Description.WatchdogTimeout);
    }

    /// <summary>No <c>WATCHDOG=1</c> in time: the process is killed, and its exit is handled as
    /// any unexpected termination (restart per the service's settings).</summary>
    private void WatchdogExpired(ServiceRecord service)
    {
        if (service.State != ServiceState.Started || service.Pid == 0 || service.notifiedStopping) return;
        system.Log(LogLevel.Error, $"Service {service.Name} with pid {service.Pid} missed its watchdog " +
            $"(no WATCHDOG=1 within {service.Description.WatchdogTimeout.TotalSeconds:0.###} s); killing.");
        system.Signal(service, service.Pid, Signals.Kill, true);
    }

    /// <summary>A new start command is launched: what the previous process said no longer holds.</summary>
    private static void ForgetNotifications(ServiceRecord service)
    {
        service.NotifyStatus = "";
        service.notifiedStopping = false;
    }
}
