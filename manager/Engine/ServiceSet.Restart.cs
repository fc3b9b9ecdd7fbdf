using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Automatic restart decisions (semantics.md §8.1, §8.3).
public sealed partial class ServiceSet
{
    private bool RestartPolicyWants(ServiceRecord service)
    {
        if (IsShuttingDown) return false;
        return service.Description.Restart switch
        {
            RestartMode.Yes => true,
            RestartMode.OnFailure => service.Type is ServiceType.Process or ServiceType.BgProcess
                && WaitStatus.IsFailure(service.ExitStatus),
            _ => false,
        };
    }

    /// <summary>Restart rate limit, process and bgprocess only. False (and target STOPPED)
    /// when the service restarts too quickly.</summary>
    private bool CheckRestartLimit(ServiceRecord service)
    {
        if (service.Type is not (ServiceType.Process or ServiceType.BgProcess)) return true;
        var description = service.Description;
        if (description.RestartLimitCount <= 0) return true;
        var now = system.Now;
        if (now - service.restartIntervalStart < description.RestartLimitInterval)
        {
            if (service.restartIntervalCount >= description.RestartLimitCount)
            {
                system.Log(LogLevel.Error, $"Service {service.Name} restarting too quickly; stopping.");
                service.TargetState = ServiceState.Stopped;
                return false;
            }
            service.restartIntervalCount++;
            return true;
        }
        service.restartIntervalStart = now;
        service.restartIntervalCount = 1;
        return true;
    }

    /// <summary>A start that is not an automatic restart resets the rate limit.</summary>
    private void ResetRestartLimit(ServiceRecord service)
    {
        service.restartIntervalCount = 0;
        service.restartIntervalStart = system.Now;
    }
}
