using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Inputs from the operating system: process exits, timer expiry, readiness.
public sealed partial class ServiceSet
{
    /// <summary>A child was reaped. Unknown pids are ignored.</summary>
    public void ProcessExited(int pid, int rawWaitStatus)
    {
        changeCount++;
        if (!byPid.Remove(pid, out var service)) return;
        CompleteLaunchBeforeExit(service, pid);
        if (service.Type == ServiceType.Scripted) ScriptExited(service, pid, rawWaitStatus);
        else if (pid == service.StopCommandPid) StopCommandExited(service, rawWaitStatus);
        else if (pid == service.Pid && service.launcherRunning) LauncherExited(service, rawWaitStatus);
        else if (pid == service.Pid) ProcessMainExited(service, rawWaitStatus);
        ProcessQueues();
        RestartEarlyIfOnlyWaitingForDependents(service);
        ProcessQueues();
    }

    /// <summary>The service's timer (armed through <see cref="ISystem.ArmTimer"/>) expired.</summary>
    public void TimerExpired(ServiceRecord service)
    {
        changeCount++;
        var purpose = service.timer;
        service.timer = TimerPurpose.None;
        switch (purpose)
        {
            case TimerPurpose.RestartDelay:
                RestartDelayOver(service);
                break;
            case TimerPurpose.StartTimeout:
                if (service.Pid != 0 && (service.State == ServiceState.Starting || service.doingSmoothRecovery))
                    StartTimedOut(service);
                break;
            case TimerPurpose.StopTimeout:
                if (service.State == ServiceState.Stopping) StopTimedOut(service);
                break;
            case TimerPurpose.Watchdog:
                WatchdogExpired(service);
                break;
            case TimerPurpose.KillAllGrace:
                system.FinishKillAll();
                if (service.State == ServiceState.Stopping) BringDown(service);
                break;
        }
        ProcessQueues();
    }

    private void RestartDelayOver(ServiceRecord service)
    {
        if (!service.waitingForRestartDelay) return;
        service.waitingForRestartDelay = false;
        if (service.State == ServiceState.Starting)
        {
            LaunchProcess(service);
        }
        else if (service.State == ServiceState.Started && service.doingSmoothRecovery)
        {
            Relaunch(service);
        }
    }

    /// <summary>Readiness data arrived on the notification pipe (§11).</summary>
    public void ReadinessReported(ServiceRecord service)
    {
        changeCount++;
        if (!service.awaitingReadiness) return;
        service.awaitingReadiness = false;
        CancelTimer(service);
        if (service.State == ServiceState.Starting) Started(service);
        else service.doingSmoothRecovery = false;
        ArmWatchdog(service);
        ProcessQueues();
    }

    /// <summary>The notification pipe reached end-of-file without data: the start fails.</summary>
    public void ReadinessClosed(ServiceRecord service)
    {
        changeCount++;
        if (!service.awaitingReadiness) return;
        service.awaitingReadiness = false;
        CancelTimer(service);
        system.Log(LogLevel.Error, $"{service.Name}: readiness notification pipe closed before readiness");
        if (service.State == ServiceState.Starting)
        {
            // Reference quirk kept (semantics.md §11): the stop reason is left as it is, so
            // clients see "Reason unknown/unrecognised" and the service ends without the failed
            // mark; the log line above says why.
            service.State = ServiceState.Stopping;
            service.WaitingForDependencies = false;
            FailedToStart(service, dependencyFailed: false, immediateStop: false);
            BringDownProcess(service);
        }
        else if (service.State == ServiceState.Started)
        {
            service.StopReason = StopReason.Failed;
            service.doingSmoothRecovery = false;
            UnrecoverableStop(service);
        }
        ProcessQueues();
    }
}
