using Tinyinit.Loader;

namespace Tinyinit.Engine;

// The stop path (semantics.md §3.3): stop, forced stop, user restart, doStop, stopped.
// Nothing here allocates or recurses: further work goes onto the queues.
public sealed partial class ServiceSet
{
    /// <summary>stop(X, bringDown): bringDown for "ctl stop", not for release/shutdown.</summary>
    private void StopService(ServiceRecord service, bool bringDown)
    {
        if (service.IsExplicitlyStarted)
        {
            service.IsExplicitlyStarted = false;
            service.RequiredBy--;
        }
        if (bringDown || service.RequiredBy == 0) service.TargetState = ServiceState.Stopped;
        if (StartPinned(service)) return;
        if (service.RequiredBy == 0)
        {
            bringDown = true;
            service.pendingPropagation &= ~PropagationFlags.RequireDependencies;
            Schedule(service, PropagationFlags.ReleaseDependencies);
            if (service.State == ServiceState.Stopped) MarkInactive(service);
        }
        if (bringDown && service.State != ServiceState.Stopped)
        {
            service.StopReason = StopReason.Normal;
            DoStop(service, false);
        }
    }

    private void ForcedStop(ServiceRecord service)
    {
        if (service.State == ServiceState.Stopped) return;
        service.forceStop = true;
        if (!StartPinned(service)) Schedule(service, PropagationFlags.Stop);
    }

    private void UnrecoverableStop(ServiceRecord service)
    {
        service.TargetState = ServiceState.Stopped;
        ForcedStop(service);
    }

    /// <summary>User restart; false when the service is not STARTED.</summary>
    private bool RestartService(ServiceRecord service)
    {
        if (service.State != ServiceState.Started) return false;
        service.StopReason = StopReason.Normal;
        service.forceStop = true;
        DoStop(service, withRestart: true);
        return true;
    }

    private void DoStop(ServiceRecord service, bool withRestart)
    {
        if (StartPinned(service)) return;
        service.inAutoRestart = false;
        service.inUserRestart = false;
        bool forRestart = withRestart || (RestartPolicyWants(service) && service.TargetState == ServiceState.Started);
        if (!withRestart && forRestart)
        {
            forRestart = CheckRestartLimit(service);
            service.inAutoRestart = forRestart;
        }
        if (!forRestart && service.IsExplicitlyStarted)
        {
            service.IsExplicitlyStarted = false;
            ReleaseRequirement(service, issueStop: false);
        }
        bool allStopped = StopDependents(service, forRestart, restartDependents: withRestart);
        if (service.State == ServiceState.Starting)
        {
            if (!service.WaitingForDependencies && !service.WaitingForConsole)
            {
                if (!CanInterruptStart(service)) return;   // stops once STARTED
                if (!InterruptStart(service))
                {
                    Emit(service, Tinyinit.Engine.ServiceEvent.StartCancelled);   // now STOPPING, signal sent
                    return;
                }
            }
            else if (service.WaitingForConsole)
            {
                RemoveFromConsoleQueue(service);
            }
            Emit(service, Tinyinit.Engine.ServiceEvent.StartCancelled);
        }
        else if (service.State != ServiceState.Started)
        {
            return;   // already STOPPING or STOPPED
        }
        service.State = ServiceState.Stopping;
        service.WaitingForDependencies = true;
        if (allStopped) QueueTransition(service);
    }

    private bool StopDependents(ServiceRecord service, bool forRestart, bool restartDependents)
    {
        bool allStopped = true;
        foreach (var link in service.dependents)
        {
            var dependent = link.From;
            if (link.IsHard)
            {
                if (!FundamentallyStopped(dependent)) allStopped = false;
                // A dependent that has not begun its own start only waits for this service
                // again; cancelling and restarting it would re-run its prepared-by restarts
                // and can cycle forever.
                if (service.TargetState == ServiceState.Started && dependent.State == ServiceState.Starting
                    && dependent.WaitingForDependencies) continue;
                if (service.forceStop)
                {
                    if (service.TargetState == ServiceState.Stopped)
                    {
                        dependent.StopReason = StopReason.DependencyFailed;
                        UnrecoverableStop(dependent);
                    }
                    else
                    {
                        ForcedStop(dependent);
                    }
                }
                if (dependent.State == ServiceState.Stopped) continue;
                if (service.TargetState == ServiceState.Stopped)
                {
                    if (dependent.TargetState == ServiceState.Stopped) continue;
                    dependent.TargetState = ServiceState.Stopped;
                    if (dependent.IsExplicitlyStarted)
                    {
                        dependent.IsExplicitlyStarted = false;
                        ReleaseRequirement(dependent, issueStop: true);
                    }
                    Schedule(dependent, PropagationFlags.Stop);
                }
                else if (restartDependents && dependent.State != ServiceState.Stopping)
                {
                    dependent.StopReason = StopReason.DependencyRestart;
                    dependent.inUserRestart = true;
                    Schedule(dependent, PropagationFlags.Stop);
                }
            }
            else if (!forRestart)
            {
                // Soft (or ordering) link: broken; re-attached if this service starts again.
                if (link.WaitingOn)
                {
                    link.WaitingOn = false;
                    DependencyStarted(dependent);
                }
                if (link.Holding)
                {
                    link.Holding = false;
                    ReleaseRequirement(service, issueStop: false);
                }
            }
        }
        return allStopped;
    }

    /// <summary>The service has fully stopped.</summary>
    private void Stopped(ServiceRecord service)
    {
        if (service.HasConsole) ReleaseConsole(service);
        CancelTimer(service);
        service.forceStop = false;
        service.broughtUp = false;
        service.interruptingStart = false;
        service.waitingForRestartDelay = false;
        service.awaitingReadiness = false;
        bool willRestart = service.TargetState == ServiceState.Started && !service.PinnedStopped;
        if (!willRestart)
        {
            BreakSoftDependentLinks(service);
            FailWaitingHardDependents(service);
        }
        foreach (var link in service.dependencies)
            DependentStopped(link.To);
        service.State = ServiceState.Stopped;
        if (willRestart)
        {
            foreach (var link in service.dependencies)
                if (link.Type == DependencyType.PreparedBy) RestartService(link.To);   // §8.5
            Schedule(service, PropagationFlags.RequireHardDependencies);
            InitiateStart(service);
        }
        else
        {
            // Stopped for good: hold nothing, even where a pin made release skip this earlier.
            service.pendingPropagation &= ~(PropagationFlags.RequireDependencies | PropagationFlags.RequireHardDependencies);
            Schedule(service, PropagationFlags.ReleaseDependencies);
            BecomingInactive(service);
            if (service.IsExplicitlyStarted)
            {
                service.IsExplicitlyStarted = false;
                ReleaseRequirement(service, issueStop: false);
            }
            else if (service.RequiredBy == 0)
            {
                MarkInactive(service);
            }
        }
        if (!service.StartFailed)
        {
            system.ServiceStatusLine(service, ServiceStatus.Stopped);
            MaybeChain(service, willRestart);
        }
        Emit(service, Tinyinit.Engine.ServiceEvent.Stopped);
        // Required again while stopping but pinned stopped: that start fails now (the
        // reference leaves dependents waiting for it forever).
        if (service.TargetState == ServiceState.Started && service.PinnedStopped)
            FailedToStart(service, dependencyFailed: false, immediateStop: false);
    }

    private void BreakSoftDependentLinks(ServiceRecord service)
    {
        foreach (var link in service.dependents)
        {
            if (link.IsHard) continue;
            if (link.WaitingOn)
            {
                link.WaitingOn = false;
                DependencyStarted(link.From);
            }
            if (link.Holding)
            {
                link.Holding = false;
                ReleaseRequirement(service, issueStop: false);
            }
        }
    }

    /// <summary>A dependent still waiting for this service through a hard link cannot start
    /// now (§4: "X start cancelled while D waits: D fails"). Normally the stop already
    /// cancelled it; a start pin on the dependent is what can leave it waiting.</summary>
    private void FailWaitingHardDependents(ServiceRecord service)
    {
        foreach (var link in service.dependents)
        {
            if (link.IsHard && link.WaitingOn && link.From.State == ServiceState.Starting)
                Schedule(link.From, PropagationFlags.Failure);
        }
    }

    private void BecomingInactive(ServiceRecord service)
    {
        if (service.Description.SocketListen != null) system.CloseActivationSocket(service);
        service.IsUntracked = false;
    }
}
