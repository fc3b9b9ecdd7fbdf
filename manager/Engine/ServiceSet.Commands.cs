namespace Tinyinit.Engine;

// Control commands (semantics.md §5, §6; control-protocol.md §6.4–§6.6). Each settles the
// queues before returning, so the events it causes precede the reply.
public sealed partial class ServiceSet
{
    /// <summary>STARTSERVICE: explicit activation, optionally pinned started.</summary>
    public CommandResult Start(ServiceRecord service, bool pin)
    {
        changeCount++;
        if (IsShuttingDown) return CommandResult.ShuttingDown;
        if (service.State is ServiceState.Stopped or ServiceState.Stopping && service.PinnedStopped)
            return CommandResult.PinnedStopped;
        if (pin) SetPinnedStarted(service, true);
        StartExplicit(service);
        ProcessQueues();
        return service.State == ServiceState.Started ? CommandResult.AlreadyInState : CommandResult.Ack;
    }

    /// <summary>WAKESERVICE: active dependents hold the service again; not explicit.</summary>
    public CommandResult Wake(ServiceRecord service, bool pin)
    {
        changeCount++;
        if (IsShuttingDown) return CommandResult.ShuttingDown;
        if (service.State is ServiceState.Stopped or ServiceState.Stopping && service.PinnedStopped)
            return CommandResult.PinnedStopped;
        bool anyDependent = false;
        foreach (var link in service.dependents)
        {
            if (link.IsOrderingOnly || link.From.State is not (ServiceState.Starting or ServiceState.Started)) continue;
            anyDependent = true;
            if (link.Holding) continue;
            link.Holding = true;
            Require(service);
        }
        if (pin) SetPinnedStarted(service, true);
        ProcessQueues();
        if (service.State == ServiceState.Started) return CommandResult.AlreadyInState;
        return anyDependent ? CommandResult.Ack : CommandResult.Nak;
    }

    /// <summary>
    /// STOPSERVICE without restart: refused while start-pinned; when <paramref name="gentle"/>
    /// and not <paramref name="force"/>, refused with the direct dependents holding it through
    /// depends-on/prepared-by. Otherwise optionally pins stopped, then stop + forced stop.
    /// </summary>
    public CommandResult Stop(ServiceRecord service, bool force, bool pin, bool gentle, out IReadOnlyList<ServiceRecord> dependents)
    {
        changeCount++;
        dependents = [];
        if (service.State is ServiceState.Started or ServiceState.Starting && StartPinned(service))
            return CommandResult.PinnedStarted;
        if (gentle && !force && HasHoldingHardDependents(service, out dependents))
            return CommandResult.Dependents;
        if (pin) service.PinnedStopped = true;
        StopService(service, bringDown: true);
        ForcedStop(service);
        ProcessQueues();
        return service.State == ServiceState.Stopped ? CommandResult.AlreadyInState : CommandResult.Ack;
    }

    /// <summary>STOPSERVICE with the restart bit (user restart; hard dependents restart too).</summary>
    public CommandResult Restart(ServiceRecord service, bool gentle, out IReadOnlyList<ServiceRecord> dependents)
    {
        changeCount++;
        dependents = [];
        if (IsShuttingDown) return CommandResult.ShuttingDown;
        if (service.State is ServiceState.Started or ServiceState.Starting && StartPinned(service))
            return CommandResult.PinnedStarted;
        if (gentle && HasHoldingHardDependents(service, out dependents))
            return CommandResult.Dependents;
        if (!RestartService(service)) return CommandResult.Nak;
        ProcessQueues();
        return service.State == ServiceState.Started ? CommandResult.AlreadyInState : CommandResult.Ack;
    }

    /// <summary>RELEASESERVICE: clears the explicit mark; stops only if nothing else holds it.</summary>
    public CommandResult Release(ServiceRecord service, bool pin)
    {
        changeCount++;
        if (pin) service.PinnedStopped = true;
        StopService(service, bringDown: false);
        ProcessQueues();
        return service.State == ServiceState.Stopped ? CommandResult.AlreadyInState : CommandResult.Ack;
    }

    public CommandResult Unpin(ServiceRecord service)
    {
        changeCount++;
        UnpinService(service);
        ProcessQueues();
        return CommandResult.Ack;
    }

    /// <summary>ctl trigger/untrigger; NAK for a service that is not of type triggered.</summary>
    public CommandResult SetTrigger(ServiceRecord service, bool triggered)
    {
        changeCount++;
        if (service.Type != Loader.ServiceType.Triggered) return CommandResult.Nak;
        service.Triggered = triggered;
        if (triggered && service.State == ServiceState.Starting && !service.WaitingForDependencies)
            Started(service);
        ProcessQueues();
        return CommandResult.Ack;
    }

    /// <summary>Stop all (semantics.md §17.4): refuses further starts, stops every service in
    /// dependency order and removes all pins. A repeated call only replaces the type.</summary>
    public void Shutdown(ShutdownType type)
    {
        changeCount++;
        ShutdownType = type;
        bool first = !IsShuttingDown;
        IsShuttingDown = true;
        if (first)
        {
            foreach (var service in inOrder)
            {
                StopService(service, bringDown: false);
                UnpinService(service);
            }
        }
        allStoppedPending = true;
        ProcessQueues();
    }

    private static bool HasHoldingHardDependents(ServiceRecord service, out IReadOnlyList<ServiceRecord> dependents)
    {
        List<ServiceRecord>? found = null;
        foreach (var link in service.dependents)
        {
            if (!link.Holding || link.Type is not (Loader.DependencyType.Regular or Loader.DependencyType.PreparedBy)) continue;
            (found ??= []).Add(link.From);
        }
        dependents = found ?? (IReadOnlyList<ServiceRecord>)[];
        return found != null;
    }
}
