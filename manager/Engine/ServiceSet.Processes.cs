using Tinyinit.Loader;

namespace Tinyinit.Engine;

// process and bgprocess services (semantics.md §8.2–§8.4, §9.3, §9.4, §10, §11), expressed
// against ISystem: launches, signals and timers are requests; exits, readiness and timer
// expiry come back through the input methods.
public sealed partial class ServiceSet
{
    private bool BringUpProcess(ServiceRecord service)
    {
        if (service.Description.SocketListen != null && !system.OpenActivationSocket(service))
        {
            service.StopReason = StopReason.Failed;
            return false;
        }
        if (!service.inAutoRestart)
        {
            ResetRestartLimit(service);
        }
        else if (WaitForRestartDelay(service))
        {
            return true;
        }
        LaunchProcess(service);
        return true;
    }

    /// <summary>Arms the restart-delay timer if the last launch was too recent (§8.2 step 3).</summary>
    private bool WaitForRestartDelay(ServiceRecord service)
    {
        var due = service.lastLaunch + service.Description.RestartDelay;
        if (due <= system.Now) return false;
        service.waitingForRestartDelay = true;
        ArmTimer(service, TimerPurpose.RestartDelay, due);
        return true;
    }

    /// <summary>Launches the main process; a launch failure is acted on with the launch outcomes.</summary>
    private void LaunchProcess(ServiceRecord service)
    {
        service.lastLaunch = system.Now;
        service.IsUntracked = false;
        ForgetNotifications(service);
        int pid = Launch(service, CommandKind.Start);
        if (pid == 0) return;
        service.Pid = pid;
        if (service.Type == ServiceType.BgProcess)
        {
            service.launcherRunning = true;
            ArmStartTimer(service);
        }
        else if (service.Description.ReadyNotification == null)
        {
            StartedOnExec(service, pid);
        }
        else
        {
            service.awaitingReadiness = true;
            ArmStartTimer(service);
        }
    }

    private void BringDownProcess(ServiceRecord service)
    {
        service.doingSmoothRecovery = false;
        if (service.StopCommandPid != 0 || LaunchFailurePending(service)) return;
        if (service.Pid == 0)
        {
            CancelTimer(service);
            Stopped(service);
            return;
        }
        if (service.Description.StopCommand.Count > 0 && !service.launcherRunning)
        {
            int pid = Launch(service, CommandKind.Stop);
            if (pid == 0) return;   // the term signal follows when the failure is acted on
            service.StopCommandPid = pid;
        }
        else
        {
            SendTermSignal(service, killIfNone: false);
        }
        AwaitProcessStop(service);
    }

    /// <summary>The stop command runs or the term signal was sent: an untracked process is
    /// taken as gone, a tracked one gets the stop timer.</summary>
    private void AwaitProcessStop(ServiceRecord service)
    {
        if (service.IsUntracked && service.StopCommandPid == 0)
        {
            service.Pid = 0;
            CancelTimer(service);
            Stopped(service);
            return;
        }
        ArmStopTimer(service);
    }

    private void SendTermSignal(ServiceRecord service, bool killIfNone)
    {
        int signal = service.Description.TermSignal;
        if (signal == 0)
        {
            if (!killIfNone) return;
            signal = Signals.Kill;
        }
        system.Signal(service, service.Pid, signal, !SignalsProcessOnly(service));
    }

    private void ProcessMainExited(ServiceRecord service, int status)
    {
        service.Pid = 0;
        service.ExitStatus = status;
        switch (service.State)
        {
            case ServiceState.Starting:
                CancelTimer(service);
                service.awaitingReadiness = false;
                service.StopReason = StopReason.Failed;
                FailedToStart(service, dependencyFailed: false, immediateStop: true);
                break;
            case ServiceState.Started:
                UnexpectedTermination(service, status);
                break;
            case ServiceState.Stopping:
                service.awaitingReadiness = false;
                if (service.StopCommandPid != 0 || service.WaitingForDependencies) return;
                CancelTimer(service);
                Stopped(service);
                break;
        }
    }

    private void UnexpectedTermination(ServiceRecord service, int status)
    {
        service.awaitingReadiness = false;
        var level = WaitStatus.ExitedCleanly(status) ? LogLevel.Info : LogLevel.Error;
        system.Log(level, WaitStatus.Exited(status)
            ? $"Service {service.Name} process terminated with exit code {WaitStatus.ExitCode(status)}"
            : $"Service {service.Name} terminated due to signal {WaitStatus.TermSignal(status)}");
        if (service.Description.SmoothRecovery && service.TargetState == ServiceState.Started && !IsShuttingDown)
        {
            SmoothRecover(service);
            return;
        }
        service.doingSmoothRecovery = false;
        service.StopReason = StopReason.Terminated;
        service.forceStop = true;
        DoStop(service, false);
    }

    /// <summary>§8.2 step 2: a process that is gone while its service only waits for dependents
    /// to stop re-enters STARTING at once when it is to restart.</summary>
    private void RestartEarlyIfOnlyWaitingForDependents(ServiceRecord service)
    {
        if (service.Type is not (ServiceType.Process or ServiceType.BgProcess)) return;
        if (service.State != ServiceState.Stopping || !service.WaitingForDependencies || service.Pid != 0) return;
        if (service.StopCommandPid != 0 || service.TargetState != ServiceState.Started || service.PinnedStopped) return;
        service.WaitingForDependencies = false;
        Stopped(service);
    }

    /// <summary>§8.4: relaunch while staying STARTED; dependents are not touched.</summary>
    private void SmoothRecover(ServiceRecord service)
    {
        if (!CheckRestartLimit(service))
        {
            service.doingSmoothRecovery = false;
            service.StopReason = StopReason.Terminated;
            UnrecoverableStop(service);
            return;
        }
        service.doingSmoothRecovery = true;
        if (WaitForRestartDelay(service)) return;
        Relaunch(service);
    }

    /// <summary>Smooth-recovery relaunch. With readiness notification the relaunched process's
    /// readiness is awaited (the start timer runs; EOF or expiry is an unrecoverable stop) —
    /// the recommended behaviour of §8.4, not the reference's unwatched pipe (Reference quirk).</summary>
    private void Relaunch(ServiceRecord service)
    {
        service.waitingForRestartDelay = false;
        service.lastLaunch = system.Now;
        ForgetNotifications(service);
        int pid = Launch(service, CommandKind.Start);
        if (pid == 0) return;   // unrecoverable once the failure is acted on
        service.Pid = pid;
        if (service.Type == ServiceType.BgProcess)
        {
            service.launcherRunning = true;
            ArmStartTimer(service);
        }
        else if (service.Description.ReadyNotification != null)
        {
            service.awaitingReadiness = true;
            ArmStartTimer(service);
        }
        else
        {
            service.doingSmoothRecovery = false;
        }
    }

    private void StopCommandExited(ServiceRecord service, int status)
    {
        service.StopCommandPid = 0;
        if (!WaitStatus.ExitedCleanly(status))
            system.Log(LogLevel.Warn, $"Service {service.Name} stop command terminated {DescribeExit(status)}");
        if (service.State != ServiceState.Stopping) return;
        if (service.Pid != 0 && !service.IsUntracked) return;   // wait for the main process too
        service.Pid = 0;
        CancelTimer(service);
        Stopped(service);
    }

    /// <summary>bgprocess: the launcher ended; read the PID file (§9.4).</summary>
    private void LauncherExited(ServiceRecord service, int status)
    {
        service.launcherRunning = false;
        service.Pid = 0;
        service.ExitStatus = status;
        if (service.State == ServiceState.Stopping)
        {
            if (service.StopCommandPid != 0) return;
            CancelTimer(service);
            Stopped(service);
            return;
        }
        bool recovering = service.State == ServiceState.Started;
        if (service.State != ServiceState.Starting && !recovering) return;
        CancelTimer(service);
        if (!WaitStatus.ExitedCleanly(status))
        {
            system.Log(LogLevel.Error, $"Service {service.Name} command failed {DescribeExit(status)}");
            BackgroundStartFailed(service, recovering);
            return;
        }
        var pid = system.ReadPidFile(service, out var error);
        if (pid == null)
        {
            system.Log(LogLevel.Error, $"{service.Name}: read pid file: {error}");
            BackgroundStartFailed(service, recovering);
            return;
        }
        if (pid > 0 && WhyNotServiceProcess(service, pid.Value) is { } refusal)
        {
            system.Log(LogLevel.Error, $"{service.Name}: refusing pid {pid} from pid file: {refusal}");
            BackgroundStartFailed(service, recovering);
            return;
        }
        int waitStatus = 0;
        var pidState = pid > 0 ? system.QueryPid(pid.Value, out waitStatus) : PidState.Invalid;
        switch (pidState)
        {
            case PidState.RunningChild:
                service.Pid = pid!.Value;
                byPid[service.Pid] = service;
                BackgroundStartSucceeded(service, recovering);
                break;
            case PidState.ExitedChild:
                service.Pid = pid!.Value;
                BackgroundStartSucceeded(service, recovering);
                ProcessMainExited(service, waitStatus);
                break;
            case PidState.Unsupervisable:
                system.Log(LogLevel.Warn, $"{service.Name}: unable to supervise process with pid {pid}");
                service.Pid = pid!.Value;
                service.IsUntracked = true;
                BackgroundStartSucceeded(service, recovering);
                break;
            default:
                system.Log(LogLevel.Error, $"{service.Name}: pid read from pidfile ({pid}) is not valid");
                BackgroundStartFailed(service, recovering);
                break;
        }
    }

    private string? WhyNotServiceProcess(ServiceRecord service, int pid) =>
        byPid.TryGetValue(pid, out var owner) && owner != service
            ? $"it is the process of service {owner.Name}"
            : system.WhyNotServiceProcess(service, pid);

    private void BackgroundStartSucceeded(ServiceRecord service, bool recovering)
    {
        if (recovering) service.doingSmoothRecovery = false;
        else Started(service);
    }

    private void BackgroundStartFailed(ServiceRecord service, bool recovering)
    {
        service.StopReason = StopReason.Failed;
        if (recovering)
        {
            service.doingSmoothRecovery = false;
            UnrecoverableStop(service);
        }
        else
        {
            FailedToStart(service, dependencyFailed: false, immediateStop: true);
        }
    }

    /// <summary>Start timeout (§10): SIGINT, STOPPING, SIGKILL after the stop timeout; TIMEDOUT.</summary>
    private void StartTimedOut(ServiceRecord service)
    {
        system.Log(LogLevel.Error, $"Service {service.Name} with pid {service.Pid} exceeded allowed start time; cancelling.");
        if (service.State == ServiceState.Started)
        {
            // A smooth-recovery relaunch never became ready: unrecoverable.
            service.doingSmoothRecovery = false;
            service.awaitingReadiness = false;
            service.StopReason = StopReason.TimedOut;
            UnrecoverableStop(service);
            return;
        }
        SignalInterrupt(service);
        service.StopReason = StopReason.TimedOut;
        FailedToStart(service, dependencyFailed: false, immediateStop: false);
    }

    private void StopTimedOut(ServiceRecord service)
    {
        int pid = service.Pid != 0 ? service.Pid : service.StopCommandPid;
        if (pid == 0) return;
        system.Log(LogLevel.Warn, $"Service {service.Name} with pid {pid} exceeded allowed stop time; killing.");
        if (service.Pid != 0) system.Signal(service, service.Pid, Signals.Kill, true);
        if (service.StopCommandPid != 0) system.Signal(service, service.StopCommandPid, Signals.Kill, true);
    }
}
