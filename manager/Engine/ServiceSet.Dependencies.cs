using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Run-time dependency changes (semantics.md §18; control-protocol.md §6.7): add-dep, rm-dep,
// enable. Not persisted.
public sealed partial class ServiceSet
{
    /// <summary>ADD_DEP (enable = false) or ENABLESERVICE (enable = true).
    /// <paramref name="existed"/>: an identical link was already there (ENABLE_SERVICE_V7).</summary>
    public CommandResult AddDependency(ServiceRecord from, ServiceRecord to, DependencyType type, bool enable, out bool existed)
    {
        changeCount++;
        existed = false;
        if (from == to || from.IsPlaceholder || to.IsPlaceholder || !Enum.IsDefined(type)) return CommandResult.Nak;
        if (type == DependencyType.Regular && from.State != ServiceState.Stopped && to.State != ServiceState.Started)
            return CommandResult.Nak;
        var link = FindDeclaredLink(from, to, type);
        existed = link != null;
        if (link == null)
        {
            var (waiter, awaited) = type == DependencyType.Before ? (to, from) : (from, to);
            if (Reaches(awaited, waiter)) return CommandResult.Nak;   // would close a cycle
            link = AddDeclaredLink(from, to, type);
            if (!link.IsOrderingOnly && IsActiveState(from.State) && (type == DependencyType.Regular || IsActiveState(to.State)))
                Hold(link);
        }
        if (enable && !link.IsOrderingOnly && !link.Holding && IsActiveState(from.State) && !IsShuttingDown)
            Hold(link);
        ProcessQueues();
        return CommandResult.Ack;
    }

    public CommandResult AddDependency(ServiceRecord from, ServiceRecord to, DependencyType type, bool enable) =>
        AddDependency(from, to, type, enable, out _);

    /// <summary>REM_DEP: removes one link of exactly that type; a held target is released
    /// (and may stop).</summary>
    public CommandResult RemoveDependency(ServiceRecord from, ServiceRecord to, DependencyType type)
    {
        changeCount++;
        var link = FindDeclaredLink(from, to, type);
        if (link == null) return CommandResult.Nak;
        Unlink(link);
        ProcessQueues();
        return CommandResult.Ack;
    }

    private static bool IsActiveState(ServiceState state) => state is ServiceState.Starting or ServiceState.Started;

    /// <summary>Makes the link hold its target (starting it if needed).</summary>
    private void Hold(ServiceLink link)
    {
        link.Holding = true;
        Require(link.To);
        if (link.From.State == ServiceState.Starting && link.From.WaitingForDependencies && link.To.State != ServiceState.Started)
            link.WaitingOn = true;
    }

    private void Unlink(ServiceLink link)
    {
        bool wasWaiting = link.WaitingOn;
        RemoveLink(link);
        if (wasWaiting) DependencyStarted(link.From);
        if (link.Holding)
        {
            link.Holding = false;
            ReleaseRequirement(link.To, issueStop: true);
        }
        DependentStopped(link.To);
    }
}
