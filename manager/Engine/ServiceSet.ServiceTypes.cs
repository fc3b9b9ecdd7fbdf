using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Per-type start and stop actions (semantics.md §9), dispatched on the service type.
// internal and triggered are here; process, bgprocess and scripted have their own files.
public sealed partial class ServiceSet
{
    /// <summary>Begins the start action; false if it failed at once (the caller fails the start).</summary>
    private bool BringUp(ServiceRecord service)
    {
        switch (service.Type)
        {
            case ServiceType.Internal:
                Started(service);
                return true;
            case ServiceType.Triggered:
                if (service.Triggered) Started(service);
                return true;
            case ServiceType.Scripted:
                return BringUpScripted(service);
            default:
                return BringUpProcess(service);
        }
    }

    /// <summary>Begins the stop action once all hard dependents have stopped.</summary>
    private void BringDown(ServiceRecord service)
    {
        switch (service.Type)
        {
            case ServiceType.Internal:
            case ServiceType.Triggered:
                Stopped(service);
                break;
            case ServiceType.Scripted:
                BringDownScripted(service);
                break;
            default:
                BringDownProcess(service);
                break;
        }
    }

    /// <summary>Can a start whose action is already in progress be interrupted (§7)?</summary>
    private bool CanInterruptStart(ServiceRecord service) => service.Type switch
    {
        ServiceType.Internal or ServiceType.Triggered => true,
        // A launch whose failure is still to be acted on ends the start anyway: wait for it.
        _ when LaunchFailurePending(service) => false,
        _ => service.waitingForRestartDelay || (service.Description.Options & ServiceOptions.StartInterruptible) != 0,
    };

    /// <summary>True when the start was cancelled outright; false when a signal was sent and
    /// the service is now STOPPING, waiting for the process to end.</summary>
    private bool InterruptStart(ServiceRecord service)
    {
        if (service.Type is ServiceType.Internal or ServiceType.Triggered) return true;
        if (service.waitingForRestartDelay || service.Pid == 0)
        {
            CancelTimer(service);
            service.waitingForRestartDelay = false;
            return true;
        }
        SignalInterrupt(service);
        return false;
    }

    /// <summary>SIGINT to the start process, STOPPING, stop timer armed (SIGKILL on expiry).</summary>
    private void SignalInterrupt(ServiceRecord service)
    {
        system.Log(LogLevel.Info, $"Interrupting start of service {service.Name} with pid {service.Pid} (with SIGINT).");
        system.Signal(service, service.Pid, Signals.Int, !SignalsProcessOnly(service));
        service.interruptingStart = true;
        service.awaitingReadiness = false;
        service.State = ServiceState.Stopping;
        service.WaitingForDependencies = false;
        ArmStopTimer(service);
    }

    private static bool SignalsProcessOnly(ServiceRecord service) =>
        (service.Description.Options & ServiceOptions.SignalProcessOnly) != 0;

    private void ArmTimer(ServiceRecord service, TimerPurpose purpose, TimeSpan dueAt)
    {
        service.timer = purpose;
        service.timerDueAt = dueAt;
        system.ArmTimer(service, dueAt);
    }

    private void ArmStartTimer(ServiceRecord service)
    {
        var timeout = service.Description.StartTimeout;
        if (timeout > TimeSpan.Zero) ArmTimer(service, TimerPurpose.StartTimeout, system.Now + timeout);
        else CancelTimer(service);
    }

    private void ArmStopTimer(ServiceRecord service)
    {
        var timeout = service.Description.StopTimeout;
        if (timeout > TimeSpan.Zero) ArmTimer(service, TimerPurpose.StopTimeout, system.Now + timeout);
        else CancelTimer(service);
    }

    private void CancelTimer(ServiceRecord service)
    {
        if (service.timer == TimerPurpose.None) return;
        service.timer = TimerPurpose.None;
        system.CancelTimer(service);
    }

    private static string DescribeExit(int status) => WaitStatus.Exited(status)
        ? $"with exit code {WaitStatus.ExitCode(status)}"
        : $"due to signal {WaitStatus.TermSignal(status)}";
}
