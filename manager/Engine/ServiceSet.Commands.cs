using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Control commands (semantics.md §6, control-protocol.md §6.4–§6.7). Each settles the queues
// before returning, so the events it causes precede the reply.
public sealed partial class ServiceSet
{
    public CommandResult Start(ServiceRecord service, bool pin) => throw new NotImplementedException();
    public CommandResult Wake(ServiceRecord service, bool pin) => throw new NotImplementedException();
    public CommandResult Stop(ServiceRecord service, bool force, bool pin, bool gentle, out IReadOnlyList<ServiceRecord> dependents) => throw new NotImplementedException();
    public CommandResult Release(ServiceRecord service, bool pin) => throw new NotImplementedException();
    public CommandResult Restart(ServiceRecord service, bool gentle, out IReadOnlyList<ServiceRecord> dependents) => throw new NotImplementedException();
    public CommandResult Unpin(ServiceRecord service) => throw new NotImplementedException();
    public CommandResult SetTrigger(ServiceRecord service, bool triggered) => throw new NotImplementedException();
    public CommandResult AddDependency(ServiceRecord from, ServiceRecord to, DependencyType type, bool enable) => AddDependency(from, to, type, enable, out _);
    public CommandResult AddDependency(ServiceRecord from, ServiceRecord to, DependencyType type, bool enable, out bool existed) => throw new NotImplementedException();
    public CommandResult RemoveDependency(ServiceRecord from, ServiceRecord to, DependencyType type) => throw new NotImplementedException();
    public CommandResult Unload(ServiceRecord service) => throw new NotImplementedException();
    public CommandResult Reload(ServiceRecord service, ServiceDescription description, out string? error) => throw new NotImplementedException();
    public void Shutdown(ShutdownType type) => throw new NotImplementedException();
    public void Install(IReadOnlyList<ServiceDescription> batch) => throw new NotImplementedException();

    // Inputs from the operating system.
    public void ProcessExited(int pid, int rawWaitStatus) => throw new NotImplementedException();
    public void TimerExpired(ServiceRecord service) => throw new NotImplementedException();
    public void ReadinessReported(ServiceRecord service) => throw new NotImplementedException();
    public void ReadinessClosed(ServiceRecord service) => throw new NotImplementedException();
    private void ProcessQueues() => throw new NotImplementedException();
    private bool StartPinned(ServiceRecord s) => throw new NotImplementedException();
}
