using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Installing loaded descriptions, placeholders, unload (semantics.md §18).
public sealed partial class ServiceSet
{
    /// <summary>
    /// Adds loaded services, listed after those already loaded in batch order (a description
    /// that replaces a placeholder keeps the placeholder's place). Every dependency must be loaded already or be in the batch
    /// (placeholders included). A description replaces a placeholder of the same name, which
    /// keeps the placeholder's links. Throws <see cref="ArgumentException"/> (and changes
    /// nothing) on a duplicate name or a missing dependency.
    /// </summary>
    public void Install(IReadOnlyList<ServiceDescription> batch)
    {
        changeCount++;
        ValidateBatch(batch);
        var installed = new List<ServiceRecord>(batch.Count);
        foreach (var description in batch)
        {
            if (byName.TryGetValue(description.Name, out var existing))
            {
                if (description.IsPlaceholder) continue;
                existing.Description = description;   // a placeholder becomes real
                existing.descriptionReloaded = false;
                installed.Add(existing);
                continue;
            }
            var record = new ServiceRecord(description);
            byName.Add(description.Name, record);
            inOrder.Add(record);
            if (!description.IsPlaceholder) installed.Add(record);
        }
        foreach (var record in installed)
            foreach (var spec in record.Description.Dependencies)
                AddDeclaredLink(record, byName[spec.Name], spec.Type);
    }

    private void ValidateBatch(IReadOnlyList<ServiceDescription> batch)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var description in batch)
        {
            if (!names.Add(description.Name))
                throw new ArgumentException($"service '{description.Name}' appears twice in the batch");
            if (byName.TryGetValue(description.Name, out var existing) && !existing.IsPlaceholder && !description.IsPlaceholder)
                throw new ArgumentException($"service '{description.Name}' is already loaded");
        }
        foreach (var description in batch)
        {
            foreach (var spec in description.Dependencies)
            {
                if (spec.Name == description.Name)
                    throw new ArgumentException($"service '{description.Name}' depends on itself");
                if (!names.Contains(spec.Name) && !byName.ContainsKey(spec.Name))
                    throw new ArgumentException($"service '{description.Name}': dependency '{spec.Name}' is not loaded");
            }
        }
    }

    /// <summary>A link as written in <paramref name="declarer"/>'s description: <c>before = Y</c>
    /// makes Y wait for the declarer, every other type makes the declarer the dependent.</summary>
    private static ServiceLink AddDeclaredLink(ServiceRecord declarer, ServiceRecord target, DependencyType type)
    {
        var link = type == DependencyType.Before
            ? new ServiceLink(target, declarer, type, declarer)
            : new ServiceLink(declarer, target, type, declarer);
        link.From.dependencies.Add(link);
        link.To.dependents.Add(link);
        return link;
    }

    private static void RemoveLink(ServiceLink link)
    {
        link.WaitingOn = false;
        link.From.dependencies.Remove(link);
        link.To.dependents.Remove(link);
    }

    private static ServiceLink? FindDeclaredLink(ServiceRecord declarer, ServiceRecord target, DependencyType type)
    {
        var list = type == DependencyType.Before ? declarer.dependents : declarer.dependencies;
        foreach (var link in list)
        {
            var other = type == DependencyType.Before ? link.From : link.To;
            if (link.Type == type && other == target && link.DeclaredBy == declarer) return link;
        }
        return null;
    }

    /// <summary>True when <paramref name="start"/> reaches <paramref name="goal"/> through
    /// links of any type (explicit stack, no recursion), optionally not through the links
    /// <paramref name="ignoreLinksDeclaredBy"/> declared.</summary>
    private bool Reaches(ServiceRecord start, ServiceRecord goal, ServiceRecord? ignoreLinksDeclaredBy = null)
    {
        int stamp = ++visitGeneration;
        var stack = new Stack<ServiceRecord>();
        stack.Push(start);
        start.visitStamp = stamp;
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current == goal) return true;
            foreach (var link in current.dependencies)
            {
                if (link.To.visitStamp == stamp) continue;
                if (ignoreLinksDeclaredBy != null && link.DeclaredBy == ignoreLinksDeclaredBy) continue;
                link.To.visitStamp = stamp;
                stack.Push(link.To);
            }
        }
        return false;
    }

    /// <summary>Unloads a STOPPED service that has no dependents other than before/after links
    /// (those move to a placeholder). The caller checks the control-connection rule.</summary>
    public CommandResult Unload(ServiceRecord service)
    {
        changeCount++;
        if (service.IsPlaceholder || service.State != ServiceState.Stopped) return CommandResult.Nak;
        foreach (var link in service.dependents)
            if (!link.IsOrderingOnly) return CommandResult.Nak;
        DetachDeclaredLinks(service);
        if (service.dependents.Count > 0 || service.dependencies.Count > 0)
        {
            service.Description = new ServiceDescription { Name = service.Name, IsPlaceholder = true };
            ResetRuntimeState(service);
        }
        else
        {
            Forget(service);
        }
        return CommandResult.Ack;
    }

    /// <summary>Removes the links the service's own description declared, dropping
    /// placeholders left without links.</summary>
    private void DetachDeclaredLinks(ServiceRecord service)
    {
        var declared = new List<ServiceLink>();
        foreach (var link in service.dependencies) if (link.DeclaredBy == service) declared.Add(link);
        foreach (var link in service.dependents) if (link.DeclaredBy == service) declared.Add(link);
        foreach (var link in declared)
        {
            RemoveLink(link);
            var other = link.From == service ? link.To : link.From;
            if (other.IsPlaceholder && other.dependencies.Count == 0 && other.dependents.Count == 0) Forget(other);
        }
    }

    private void Forget(ServiceRecord service)
    {
        byName.Remove(service.Name);
        inOrder.Remove(service);
    }

    private void ResetRuntimeState(ServiceRecord service)
    {
        SetPinnedStarted(service, false);
        service.StopReason = StopReason.Normal;
        service.StartFailed = false;
        service.StartSkipped = false;
        service.PinnedStopped = false;
        service.Triggered = false;
        service.ExitStatus = 0;
    }
}
