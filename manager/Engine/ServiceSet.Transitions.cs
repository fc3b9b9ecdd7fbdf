using Tinyinit.Loader;

namespace Tinyinit.Engine;

// The second phase (semantics.md §3.2): services whose state can advance.
public sealed partial class ServiceSet
{
    /// <summary>Between kill-all-on-stop's SIGTERM and SIGKILL (semantics.md §9.7).</summary>
    private static readonly TimeSpan KillAllGrace = TimeSpan.FromSeconds(1);

    private void Transition(ServiceRecord service)
    {
        if (service.State == ServiceState.Starting)
        {
            if (!service.WaitingForDependencies || service.WaitingForConsole || service.waitingOnCount > 0) return;
            AllDependenciesStarted(service);
        }
        else if (service.State == ServiceState.Stopping)
        {
            if (!service.WaitingForDependencies || !DependentsStopped(service)) return;
            service.WaitingForDependencies = false;
            HoldBackStartingDependents(service);
            service.broughtUp = false;
            if ((service.Description.Options & ServiceOptions.KillAllOnStop) != 0
                && service.Type is ServiceType.Internal or ServiceType.Scripted
                && system.BeginKillAll())
            {
                // The reference sleeps here; the loop must not, so the grace second is a timer
                // and the stop action follows the SIGKILL (it must not be killed by it).
                ArmTimer(service, TimerPurpose.KillAllGrace, system.Now + KillAllGrace);
                return;
            }
            BringDown(service);
        }
    }

    /// <summary>A dependent that is still waiting for other dependencies must not proceed while
    /// this one is down: make it wait for this one as well.</summary>
    private static void HoldBackStartingDependents(ServiceRecord service)
    {
        foreach (var link in service.dependents)
        {
            if (link.IsOrderingOnly || link.Type == DependencyType.WaitsFor) continue;
            if (link.Type == DependencyType.Milestone && !link.WaitingOn) continue;
            if (link.From.State == ServiceState.Starting) link.WaitingOn = true;
        }
    }

    /// <summary>Intended rule (§3.3): no stop action while a hard dependent is not yet stopped
    /// or is not merely waiting to start. Checks the dependents' actual states (the
    /// reference's holding-flag check lets a dependency stop early: Reference quirk, fixed).</summary>
    private static bool DependentsStopped(ServiceRecord service)
    {
        foreach (var link in service.dependents)
            if (link.IsHard && !FundamentallyStopped(link.From)) return false;
        return true;
    }

    private static bool FundamentallyStopped(ServiceRecord service) =>
        service.State == ServiceState.Stopped
        || (service.State == ServiceState.Starting && service.WaitingForDependencies);

    private void AllDependenciesStarted(ServiceRecord service)
    {
        if (service.broughtUp)
        {
            // A stop cancelled before its stop action: the service is still up.
            service.WaitingForDependencies = false;
            Started(service);
            return;
        }
        if (NeedsConsoleToStart(service) && !service.HasConsole)
        {
            if (!TryTakeConsole(service)) return;
        }
        service.WaitingForDependencies = false;
        if (!BringUp(service))
        {
            service.State = ServiceState.Stopping;
            FailedToStart(service, dependencyFailed: false, immediateStop: true);
        }
    }

    private void Started(ServiceRecord service)
    {
        service.broughtUp = true;
        if (service.HasConsole && !RunsOnConsole(service)) ReleaseConsole(service);
        service.State = ServiceState.Started;
        system.ServiceStatusLine(service, ServiceStatus.Started);
        Emit(service, Tinyinit.Engine.ServiceEvent.Started);
        var options = service.Description.Options;
        if ((options & ServiceOptions.StartsRwfs) != 0) system.RootFilesystemWritable();
        if ((options & ServiceOptions.StartsLog) != 0) system.MainLogAvailable();
        bool stopWanted = service.forceStop || service.TargetState == ServiceState.Stopped;
        if (stopWanted)
        {
            DoStop(service, false);
            // A start pin keeps it STARTED: then its waiting dependents may proceed (the
            // reference returns here regardless and leaves them waiting).
            if (service.State != ServiceState.Started) return;
        }
        foreach (var link in service.dependents)
        {
            if (!link.WaitingOn) continue;
            link.WaitingOn = false;
            DependencyStarted(link.From);
        }
        // The pin may have come only through a milestone that has now been reached.
        if (stopWanted && !StartPinned(service)) DoStop(service, false);
    }

    private void FailedToStart(ServiceRecord service, bool dependencyFailed, bool immediateStop)
    {
        service.TargetState = ServiceState.Stopped;
        RemoveFromConsoleQueue(service);
        if (service.IsExplicitlyStarted)
        {
            service.IsExplicitlyStarted = false;
            ReleaseRequirement(service, issueStop: false);
        }
        foreach (var link in service.dependents)
        {
            var dependent = link.From;
            if (link.PropagatesFailure && dependent.State == ServiceState.Starting)
            {
                Schedule(dependent, PropagationFlags.Failure);
            }
            else if (!link.PropagatesFailure && link.WaitingOn)
            {
                link.WaitingOn = false;   // waits-for/before/after: the dependent proceeds
                DependencyStarted(dependent);
            }
            if (link.Holding)
            {
                link.Holding = false;
                ReleaseRequirement(service, issueStop: false);
            }
        }
        service.StartFailed = true;
        system.ServiceStatusLine(service, dependencyFailed ? ServiceStatus.DependencyFailed : ServiceStatus.FailedToStart);
        Emit(service, Tinyinit.Engine.ServiceEvent.FailedStart);
        RemoveStartPin(service);
        if (immediateStop) Stopped(service);
    }
}
