namespace Tinyinit.Loader;

/// <summary>The state of a loaded service as far as reload cares (semantics.md §18).</summary>
public enum ReloadState { Stopped, Starting, Started, Stopping }

/// <summary>
/// Whether a reloaded description may replace the current one (semantics.md §18). Pure: the
/// engine supplies the state; nothing is changed here.
/// </summary>
public static class ReloadRules
{
    /// <param name="current">The description in use.</param>
    /// <param name="reloaded">The freshly read description (last service of the reload outcome).</param>
    /// <param name="state">The service's current state.</param>
    /// <param name="isStarted">True when the named service is STARTED (for new hard dependencies).</param>
    /// <returns>Null when the change is allowed; otherwise the message to log after
    /// <c>Could not reload service &lt;n&gt;: </c>.</returns>
    public static string? Check(ServiceDescription current, ServiceDescription reloaded, ReloadState state, Func<string, bool> isStarted)
    {
        switch (state)
        {
            case ReloadState.Stopped:
                return null;
            case ReloadState.Starting or ReloadState.Stopping:
                return "cannot alter settings for service which is currently starting/stopping.";
        }
        if (current.Type != reloaded.Type) return "cannot change type of non-stopped service.";
        var existing = new HashSet<(string, DependencyType)>(current.Dependencies.Select(d => (d.Name, d.Type)));
        foreach (var dep in reloaded.Dependencies)
        {
            if (dep.Type is not (DependencyType.Regular or DependencyType.PreparedBy)) continue;
            if (existing.Contains((dep.Name, dep.Type))) continue;
            if (!isStarted(dep.Name)) return $"cannot add non-started dependency '{dep.Name}'.";
        }
        const ServiceOptions console = ServiceOptions.StartsOnConsole | ServiceOptions.SharesConsole | ServiceOptions.RunsOnConsole;
        if ((current.Options & console) != (reloaded.Options & console))
            return "cannot change console options of non-stopped service.";
        if (current.Type == ServiceType.BgProcess && current.PidFile != reloaded.PidFile)
            return "cannot change pid-file of non-stopped service.";
        if (current.InittabId != reloaded.InittabId || current.InittabLine != reloaded.InittabLine)
            return "cannot change inittab-id or inittab-line of non-stopped service.";
        if (current.LogType != reloaded.LogType) return "cannot change log-type of non-stopped service.";
        if (current.ConsumerOf != reloaded.ConsumerOf) return "cannot change consumer-of of non-stopped service.";
        return null;
    }

    /// <summary>
    /// A service that has a consumer must stay an output-producing type with <c>log-type = pipe</c>
    /// (checked in every state). Returns the message, or null.
    /// </summary>
    public static string? CheckProducer(ServiceDescription reloaded, bool hasConsumer)
    {
        if (!hasConsumer) return null;
        if (reloaded.LogType != LogType.Pipe)
            return "service has a consumer, so its log-type must remain 'pipe'.";
        if (reloaded.Type is not (ServiceType.Process or ServiceType.BgProcess or ServiceType.Scripted))
            return "service has a consumer, so it must remain a type that produces output.";
        return null;
    }

    /// <summary>
    /// Whether a service may be unloaded (semantics.md §18): it is STOPPED, only the requesting
    /// connection holds a handle to it, and every link pointing at it is an ordering link
    /// (before/after), which the engine moves to a placeholder.
    /// </summary>
    /// <param name="incomingLinks">Types of the links other services have to this one.</param>
    public static bool CanUnload(ReloadState state, int handleCount, IEnumerable<DependencyType> incomingLinks) =>
        state == ReloadState.Stopped && handleCount <= 1
        && incomingLinks.All(t => t is DependencyType.Before or DependencyType.After);
}
