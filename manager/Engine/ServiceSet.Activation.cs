using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Activation: require/release counting and the start path (semantics.md §3.3).
public sealed partial class ServiceSet
{
    private const PropagationFlags PendingReleaseWork = PropagationFlags.ReleaseDependencies | PropagationFlags.StopIfUnrequired;

    private void Require(ServiceRecord service)
    {
        service.RequiredBy++;
        if (service.RequiredBy != 1) return;
        if (service.State is ServiceState.Starting or ServiceState.Started)
        {
            // Required again after a release to zero: undo a pending release, and take back
            // holds already released (holding is idempotent).
            service.pendingPropagation &= ~PendingReleaseWork;
            if (!service.forceStop) service.TargetState = ServiceState.Started;
            Schedule(service, PropagationFlags.RequireDependencies);
        }
        else
        {
            Schedule(service, PropagationFlags.Start);
        }
    }

    /// <summary>release(X, issueStop). The stop is queued, not run here (the reference runs it
    /// directly, which nests through chains of explicitly started services).</summary>
    private void ReleaseRequirement(ServiceRecord service, bool issueStop)
    {
        if (service.RequiredBy == 0) return;   // impossible by construction; never go negative
        service.RequiredBy--;
        if (service.RequiredBy != 0) return;
        bool pinned = StartPinned(service);
        if (service.State == ServiceState.Stopping && service.TargetState == ServiceState.Started && !pinned)
            Emit(service, Tinyinit.Engine.ServiceEvent.StartCancelled);   // a pending restart is abandoned
        service.TargetState = ServiceState.Stopped;
        if (pinned) return;
        service.pendingPropagation &= ~PropagationFlags.RequireDependencies;
        Schedule(service, PropagationFlags.ReleaseDependencies);
        if (service.State is ServiceState.Starting or ServiceState.Started && issueStop)
        {
            service.StopReason = StopReason.Normal;
            Schedule(service, PropagationFlags.StopIfUnrequired);
        }
        if (service.State == ServiceState.Stopped) MarkInactive(service);
    }

    /// <summary>start(X): explicit activation.</summary>
    private void StartExplicit(ServiceRecord service)
    {
        if (service.PinnedStopped) return;
        if (!service.IsExplicitlyStarted)
        {
            service.IsExplicitlyStarted = true;
            service.RequiredBy++;
        }
        DoStart(service);
    }

    private void DoStart(ServiceRecord service)
    {
        bool wasActive = service.State != ServiceState.Stopped;
        service.TargetState = ServiceState.Started;
        if (service.PinnedStopped)
        {
            if (!wasActive) FailedToStart(service, dependencyFailed: false, immediateStop: false);
            return;
        }
        // Whatever release-to-zero is still pending is void now; holding is idempotent, so
        // (re)requiring the dependencies also repairs holds released by an earlier stop.
        service.pendingPropagation &= ~PendingReleaseWork;
        Schedule(service, PropagationFlags.RequireDependencies);
        if (wasActive)
        {
            if (service.State != ServiceState.Stopping) return;
            if (!(service.WaitingForDependencies && !service.forceStop)) return;   // restarts once stopped
            Emit(service, Tinyinit.Engine.ServiceEvent.StopCancelled);
        }
        else
        {
            ReattachSoftDependents(service);
            MarkActive(service);
        }
        InitiateStart(service);
    }

    /// <summary>Soft links broken when this service stopped hold it again (§4 notes).</summary>
    private static void ReattachSoftDependents(ServiceRecord service)
    {
        foreach (var link in service.dependents)
        {
            if (link.IsOrderingOnly || link.Holding) continue;
            if (link.From.State is not (ServiceState.Starting or ServiceState.Started)) continue;
            link.Holding = true;
            service.RequiredBy++;
        }
    }

    private void RequireDependencies(ServiceRecord service, bool hardOnly)
    {
        if (service.State == ServiceState.Stopped) return;   // gave up meanwhile
        foreach (var link in service.dependencies)
        {
            if (link.IsOrderingOnly || link.Holding) continue;
            if (hardOnly && !link.PropagatesFailure) continue;
            link.Holding = true;
            Require(link.To);
        }
    }

    private void ReleaseDependencies(ServiceRecord service)
    {
        foreach (var link in service.dependencies)
        {
            if (!link.Holding) continue;
            link.Holding = false;
            ReleaseRequirement(link.To, issueStop: true);
        }
    }

    private void InitiateStart(ServiceRecord service)
    {
        service.StartFailed = false;
        service.StartSkipped = false;
        service.State = ServiceState.Starting;
        service.WaitingForDependencies = true;
        if (CheckDependencies(service)) QueueTransition(service);
    }

    /// <summary>True when nothing is left to wait for.</summary>
    private static bool CheckDependencies(ServiceRecord service)
    {
        bool ready = true;
        foreach (var link in service.dependencies)
        {
            var dependency = link.To;
            if (link.IsOrderingOnly && dependency.State != ServiceState.Starting) continue;
            // A broken waits-for link is not re-attached by a restart: nothing will start it.
            if (link.Type == DependencyType.WaitsFor && !link.Holding
                && (service.pendingPropagation & PropagationFlags.RequireDependencies) == 0) continue;
            if (dependency.State != ServiceState.Started)
            {
                link.WaitingOn = true;
                ready = false;
            }
        }
        foreach (var link in service.dependents)
        {
            // A service ordered after this one that is already starting waits for it too.
            if (link.IsOrderingOnly && !link.WaitingOn && link.From.State == ServiceState.Starting && link.From.WaitingForDependencies)
                link.WaitingOn = true;
        }
        return ready;
    }

    private void DependencyStarted(ServiceRecord dependent)
    {
        if (dependent.State is ServiceState.Starting or ServiceState.Started && dependent.WaitingForDependencies)
            QueueTransition(dependent);
    }

    private void DependentStopped(ServiceRecord dependency)
    {
        if (dependency.State == ServiceState.Stopping && dependency.WaitingForDependencies)
            QueueTransition(dependency);
    }

    /// <summary>The FAILURE propagation: a hard dependency failed while this one was starting.</summary>
    private void DependencyFailed(ServiceRecord service)
    {
        if (service.State != ServiceState.Starting) return;
        if (service.WaitingForDependencies)
        {
            service.StopReason = StopReason.DependencyFailed;
            FailedToStart(service, dependencyFailed: true, immediateStop: true);
            return;
        }
        // Its own start action already runs (only possible after a prepared-by restart): stop it.
        service.StopReason = StopReason.DependencyFailed;
        UnrecoverableStop(service);
    }
}
