using Tinyinit.Loader;

namespace Tinyinit.Engine;

// scripted services (semantics.md §9.5): STARTING/STOPPING while the command runs.
// Restart limits do not apply (reference behaviour).
public sealed partial class ServiceSet
{
    private bool BringUpScripted(ServiceRecord service)
    {
        if (service.Description.SocketListen != null && !system.OpenActivationSocket(service))
        {
            service.StopReason = StopReason.Failed;
            return false;
        }
        service.lastLaunch = system.Now;
        int pid = Launch(service, CommandKind.Start);
        if (pid == 0) return true;   // fails when the launch outcome is acted on
        service.Pid = pid;
        ArmStartTimer(service);
        return true;
    }

    private void BringDownScripted(ServiceRecord service)
    {
        if (service.StopCommandPid != 0 || LaunchFailurePending(service)) return;
        if (service.Description.StopCommand.Count == 0)
        {
            Stopped(service);
            return;
        }
        int pid = Launch(service, CommandKind.Stop);
        if (pid == 0) return;   // STOPPED when the launch outcome is acted on
        service.StopCommandPid = pid;
        ArmStopTimer(service);
    }

    private void ScriptExited(ServiceRecord service, int pid, int status)
    {
        if (pid == service.StopCommandPid)
        {
            service.StopCommandPid = 0;
            if (WaitStatus.Exited(status) && WaitStatus.ExitCode(status) != 0)
                system.Log(LogLevel.Warn, $"Service {service.Name} stop command failed with exit code {WaitStatus.ExitCode(status)}");
            else if (WaitStatus.Signalled(status))
                system.Log(LogLevel.Warn, $"Service {service.Name} stop command terminated due to signal {WaitStatus.TermSignal(status)}");
            CancelTimer(service);
            if (service.State == ServiceState.Stopping) Stopped(service);
            return;
        }
        service.Pid = 0;
        service.ExitStatus = status;
        if (service.State == ServiceState.Starting) StartCommandFinished(service, status);
        else if (service.State == ServiceState.Stopping && service.interruptingStart) InterruptedStartFinished(service, status);
    }

    private void StartCommandFinished(ServiceRecord service, int status)
    {
        CancelTimer(service);
        if (WaitStatus.ExitedCleanly(status))
        {
            Started(service);
            return;
        }
        if (WaitStatus.Signalled(status) && WaitStatus.TermSignal(status) == Signals.Int
            && (service.Description.Options & ServiceOptions.Skippable) != 0)
        {
            service.StartSkipped = true;
            Started(service);
            return;
        }
        system.Log(LogLevel.Error, WaitStatus.Exited(status)
            ? $"Service {service.Name} command failed with exit code {WaitStatus.ExitCode(status)}"
            : $"Service {service.Name} command terminated due to signal {WaitStatus.TermSignal(status)}");
        service.StopReason = StopReason.Failed;
        FailedToStart(service, dependencyFailed: false, immediateStop: true);
    }

    /// <summary>A start command interrupted by SIGINT ended: a non-zero exit status means it
    /// cleaned up itself; otherwise the stop command runs.</summary>
    private void InterruptedStartFinished(ServiceRecord service, int status)
    {
        service.interruptingStart = false;
        CancelTimer(service);
        if (WaitStatus.Exited(status) && WaitStatus.ExitCode(status) != 0)
        {
            system.Log(LogLevel.Info, $"Service {service.Name} start cancelled; exit code {WaitStatus.ExitCode(status)}");
            Stopped(service);
            return;
        }
        BringDownScripted(service);
    }
}
