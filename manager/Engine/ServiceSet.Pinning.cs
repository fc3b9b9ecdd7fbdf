namespace Tinyinit.Engine;

// Pins (semantics.md §5). "Dependent-pinned" is derived on demand by walking hard dependents
// upwards with an explicit stack; while no service is pinned started the walk is skipped, so
// the common case costs nothing.
public sealed partial class ServiceSet
{
    private int pinnedStartedCount;
    private readonly List<ServiceRecord> walkStack = [];

    private void SetPinnedStarted(ServiceRecord service, bool pinned)
    {
        if (service.PinnedStarted == pinned) return;
        service.PinnedStarted = pinned;
        pinnedStartedCount += pinned ? 1 : -1;
    }

    private bool StartPinned(ServiceRecord service)
    {
        if (service.PinnedStarted) return true;
        if (pinnedStartedCount == 0) return false;
        int stamp = ++visitGeneration;
        walkStack.Clear();
        walkStack.Add(service);
        service.visitStamp = stamp;
        bool found = false;
        while (walkStack.Count > 0 && !found)
        {
            var current = walkStack[^1];
            walkStack.RemoveAt(walkStack.Count - 1);
            foreach (var link in current.dependents)
            {
                if (!link.IsHard) continue;
                var dependent = link.From;
                if (dependent.visitStamp == stamp) continue;
                dependent.visitStamp = stamp;
                if (dependent.PinnedStarted) { found = true; break; }
                walkStack.Add(dependent);
            }
        }
        walkStack.Clear();
        return found;
    }

    /// <summary>Removes both pins; a released start pin lets the service and its hard
    /// dependencies carry out stops and releases recorded meanwhile.</summary>
    private void UnpinService(ServiceRecord service)
    {
        service.PinnedStopped = false;
        RemoveStartPin(service);
    }

    /// <summary>Clears a start pin and lets the service and its hard dependencies carry out
    /// the stops and releases recorded while it held them.</summary>
    private void RemoveStartPin(ServiceRecord service)
    {
        if (!service.PinnedStarted) return;
        SetPinnedStarted(service, false);
        var affected = new List<ServiceRecord>();
        int stamp = ++visitGeneration;
        affected.Add(service);
        service.visitStamp = stamp;
        for (int i = 0; i < affected.Count; i++)
        {
            foreach (var link in affected[i].dependencies)
            {
                if (!link.IsHard || link.To.visitStamp == stamp) continue;
                link.To.visitStamp = stamp;
                affected.Add(link.To);
            }
        }
        foreach (var record in affected)
            ApplyDeferredStop(record);
    }

    private void ApplyDeferredStop(ServiceRecord service)
    {
        if (service.State != ServiceState.Started || StartPinned(service)) return;
        if (service.RequiredBy == 0)
        {
            service.pendingPropagation &= ~PropagationFlags.RequireDependencies;
            Schedule(service, PropagationFlags.ReleaseDependencies);
        }
        if (service.TargetState == ServiceState.Stopped || service.forceStop)
            Schedule(service, PropagationFlags.Stop);
    }
}
