using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Reload at run time (semantics.md §18): validated completely, then applied atomically.
public sealed partial class ServiceSet
{
    /// <summary>
    /// Replaces the service's description. Dependencies named by the new description must be
    /// loaded (the daemon installs missing ones first). On refusal nothing changes, the reply
    /// is NAK and <paramref name="error"/> holds the reason for the log line
    /// "Could not reload service &lt;n&gt;: &lt;error&gt;".
    /// </summary>
    public CommandResult Reload(ServiceRecord service, ServiceDescription description, out string? error)
    {
        changeCount++;
        error = CheckReload(service, description);
        if (error != null) return CommandResult.Nak;
        ApplyReload(service, description);
        ProcessQueues();
        return CommandResult.Ack;
    }

    private string? CheckReload(ServiceRecord service, ServiceDescription description)
    {
        if (description.Name != service.Name) return $"description is for service '{description.Name}'";
        if (service.State is ServiceState.Starting or ServiceState.Stopping)
            return "cannot alter settings for service which is currently starting/stopping.";
        foreach (var spec in description.Dependencies)
        {
            if (spec.Name == service.Name) return "has cyclic dependency.";
            if (!byName.TryGetValue(spec.Name, out var target)) return $"dependency '{spec.Name}' is not loaded.";
            if (FindDeclaredLink(service, target, spec.Type) != null) continue;
            var (waiter, awaited) = spec.Type == DependencyType.Before ? (target, service) : (service, target);
            // The service's current declared links are about to be replaced: paths through them do not count.
            if (Reaches(awaited, waiter, ignoreLinksDeclaredBy: service)) return "has cyclic dependency.";
            if (service.State == ServiceState.Started && spec.Type is DependencyType.Regular or DependencyType.PreparedBy
                && target.State != ServiceState.Started)
                return $"cannot add non-started dependency '{spec.Name}'.";
        }
        return service.State == ServiceState.Started ? CheckRunningChanges(service.Description, description) : null;
    }

    private static string? CheckRunningChanges(ServiceDescription old, ServiceDescription updated)
    {
        if (old.Type != updated.Type) return "cannot change type of non-stopped service.";
        const ServiceOptions fixedOptions = ServiceOptions.StartsOnConsole | ServiceOptions.SharesConsole;
        if ((old.Options & fixedOptions) != (updated.Options & fixedOptions))
            return "cannot change starts-on-console/shares-console flags of non-stopped service.";
        if (old.Type == ServiceType.BgProcess && old.PidFile != updated.PidFile)
            return "cannot change pid-file of non-stopped service.";
        if (old.InittabId != updated.InittabId || old.InittabLine != updated.InittabLine)
            return "cannot change inittab-id/inittab-line of non-stopped service.";
        if (old.LogType != updated.LogType) return "cannot change log-type of non-stopped service.";
        if (old.ConsumerOf != updated.ConsumerOf) return "cannot change consumer-of of non-stopped service.";
        return null;
    }

    private void ApplyReload(ServiceRecord service, ServiceDescription description)
    {
        var keep = new HashSet<ServiceLink>();
        var added = new List<ServiceLink>();
        foreach (var spec in description.Dependencies)
        {
            var target = byName[spec.Name];
            var existing = FindDeclaredLink(service, target, spec.Type);
            if (existing != null && keep.Add(existing)) continue;
            added.Add(AddDeclaredLink(service, target, spec.Type));
        }
        var removed = new List<ServiceLink>();
        foreach (var link in service.dependencies) if (link.DeclaredBy == service && !keep.Contains(link) && !added.Contains(link)) removed.Add(link);
        foreach (var link in service.dependents) if (link.DeclaredBy == service && !keep.Contains(link) && !added.Contains(link)) removed.Add(link);
        foreach (var link in removed) Unlink(link);
        service.Description = description;
        service.descriptionReloaded = true;
        foreach (var link in added)
        {
            if (link.IsOrderingOnly || link.From != service || !IsActiveState(service.State)) continue;
            if (link.Type is DependencyType.Regular or DependencyType.PreparedBy || IsActiveState(link.To.State)) Hold(link);
        }
    }
}
