namespace Tinyinit.Engine;

// The two work queues of semantics.md §3.2 and the loop that drains them.
public sealed partial class ServiceSet
{
    /// <summary>schedule(X, flag): set a propagation flag and push X once.</summary>
    private void Schedule(ServiceRecord service, PropagationFlags flag)
    {
        service.pendingPropagation |= flag;
        if (service.inPropagationQueue) return;
        service.inPropagationQueue = true;
        service.nextInPropagation = propagationHead;
        propagationHead = service;
    }

    private void QueueTransition(ServiceRecord service)
    {
        if (service.inTransitionQueue) return;
        service.inTransitionQueue = true;
        service.nextInTransition = transitionHead;
        transitionHead = service;
    }

    /// <summary>Drain propagation completely, then run one transition; repeat until both are
    /// empty. Re-entrant calls (an event handler issuing a command) leave the work to the
    /// outer loop.</summary>
    private void ProcessQueues()
    {
        if (processingDepth > 0) return;
        processingDepth++;
        try
        {
            while (true)
            {
                while (propagationHead is { } next)
                {
                    propagationHead = next.nextInPropagation;
                    next.nextInPropagation = null;
                    next.inPropagationQueue = false;
                    Propagate(next);
                }
                if (transitionHead is not { } service) break;
                transitionHead = service.nextInTransition;
                service.nextInTransition = null;
                service.inTransitionQueue = false;
                Transition(service);
            }
        }
        finally
        {
            processingDepth--;
        }
        if (allStoppedPending)
        {
            allStoppedPending = false;
            if (activeCount == 0) AllServicesStopped?.Invoke();
        }
    }

    private void Propagate(ServiceRecord service)
    {
        var flags = service.pendingPropagation;
        service.pendingPropagation = PropagationFlags.None;
        if ((flags & PropagationFlags.RequireDependencies) != 0) RequireDependencies(service, hardOnly: false);
        else if ((flags & PropagationFlags.RequireHardDependencies) != 0) RequireDependencies(service, hardOnly: true);
        if ((flags & PropagationFlags.ReleaseDependencies) != 0) ReleaseDependencies(service);
        if ((flags & PropagationFlags.Failure) != 0) DependencyFailed(service);
        if ((flags & PropagationFlags.Start) != 0) DoStart(service);
        if ((flags & PropagationFlags.Stop) != 0) DoStop(service, service.inUserRestart);
        else if ((flags & PropagationFlags.StopIfUnrequired) != 0 && service.RequiredBy == 0) DoStop(service, false);
    }

    private void Emit(ServiceRecord service, ServiceEvent serviceEvent)
    {
        // Some events are raised outside the queue loop (launch outcomes): a handler must still
        // see the engine as busy, so that a snapshot is never taken halfway through an input.
        emitting++;
        try
        {
            ServiceEvent?.Invoke(service, serviceEvent);
        }
        finally
        {
            emitting--;
        }
    }

    private void MarkActive(ServiceRecord service)
    {
        if (service.isActive) return;
        service.isActive = true;
        activeCount++;
    }

    private void MarkInactive(ServiceRecord service)
    {
        if (!service.isActive) return;
        service.isActive = false;
        activeCount--;
        if (activeCount == 0) allStoppedPending = true;
    }
}
