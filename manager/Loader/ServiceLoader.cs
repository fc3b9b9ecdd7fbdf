namespace Tinyinit.Loader;

/// <summary>
/// Loads service descriptions and their dependencies (service-files.md, semantics.md §18).
///
/// Overview. A load is a depth-first walk over dependency links with an explicit stack of
/// frames (never recursion: a depends-on chain 100,000 deep loads). Each frame is one parsed
/// file whose dependencies are visited in file order; a dependency that is on the stack is a
/// cycle. As in the reference, a service's own description error is reported only after the
/// dependencies read before it were loaded, and a failing dependency makes every dependent up
/// the stack fail with <c>could not load dependency.</c>. The loader keeps no state between
/// calls: the caller (the engine) owns the loaded records and says what is loaded; on any error
/// nothing of the load is returned. Lookups by name are hash lookups.
/// </summary>
public sealed class ServiceLoader
{
    private readonly LoaderOptions _options;

    public ServiceLoader(LoaderOptions options) => _options = options;

    public LoaderOptions Options => _options;

    /// <summary>Loads <paramref name="name"/> and every dependency not yet loaded.</summary>
    /// <param name="isAlreadyLoaded">True for a service the caller already holds: it is not re-read.</param>
    public LoadOutcome Load(string name, Func<string, bool> isAlreadyLoaded) => Run(name, isAlreadyLoaded, reload: false);

    /// <summary>
    /// Re-reads a service's description, env-file and substitutions (semantics.md §18) and loads
    /// any new dependencies. The first entry of <see cref="LoadOutcome.Services"/> is the new
    /// description of <paramref name="name"/>; whether it may replace the old one in the
    /// service's current state is decided with <see cref="ReloadRules.Check"/>.
    /// </summary>
    public LoadOutcome Reload(string name, Func<string, bool> isAlreadyLoaded) => Run(name, isAlreadyLoaded, reload: true);

    private sealed class Frame(string name, ParsedService parsed)
    {
        public string Name { get; } = name;
        public ParsedService Parsed { get; } = parsed;
        public int Next { get; set; }
        /// <summary>Dependencies to load before this service's own error (if any) is reported.</summary>
        public int Limit => Parsed.HasErrors ? Parsed.DependenciesBeforeError : Parsed.Dependencies.Count;
    }

    private LoadOutcome Run(string name, Func<string, bool> isAlreadyLoaded, bool reload)
    {
        if (!ServiceName.IsValid(name) || ServiceName.IsTooLong(name))
        {
            var message = ServiceName.IsTooLong(name) ? "service name is too long" : $"invalid service name '{name}'";
            return Failed(new LoadError(LoadErrorKind.InvalidName, name, message, [$"Could not load service {name}: {message}"], null), []);
        }
        if (!reload && isAlreadyLoaded(name)) return new LoadOutcome([], null, []);

        var warnings = new List<string>();
        var loaded = new Dictionary<string, ServiceDescription>(StringComparer.Ordinal);
        var order = new List<ServiceDescription>();
        var begun = new List<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new List<Frame>();

        var root = ServiceFileLocator.Locate(name, _options, collectAll: false);
        if (root.Parsed == null) return Failed(ErrorFor(name, root.Error!, root.NotFound, stack, name), warnings);
        Push(name, root.Parsed);

        while (stack.Count > 0)
        {
            var frame = stack[^1];
            if (frame.Next < frame.Limit)
            {
                var dep = frame.Parsed.Dependencies[frame.Next++];
                if (dep.Type is DependencyType.Before or DependencyType.After) continue;
                if (loaded.ContainsKey(dep.Name)) continue;
                if (onStack.Contains(dep.Name))
                    return Failed(CycleError(name, dep.Name, stack), warnings);
                if (isAlreadyLoaded(dep.Name)) continue;
                var located = ServiceFileLocator.Locate(dep.Name, _options, collectAll: false);
                if (located.Parsed == null)
                {
                    if (dep.FromDirectory && located.NotFound)
                    {
                        warnings.Add($"Ignoring unresolved dependency '{dep.Name}' in dependency directory '{frame.Parsed.DirectoryOf(frame.Next - 1)}' for {ServiceName.Split(frame.Name).BaseName} service.");
                        continue;
                    }
                    return Failed(ErrorFor(dep.Name, located.Error!, located.NotFound, stack, name), warnings);
                }
                Push(dep.Name, located.Parsed);
                continue;
            }
            if (frame.Parsed.HasErrors)
                return Failed(ErrorFor(frame.Name, frame.Parsed.Diagnostics[0], false, stack.Take(stack.Count - 1).ToList(), name), warnings);
            var parseWarnings = frame.Parsed.Warnings.Count;
            var finalized = ServiceFinalizer.Finalize(frame.Parsed, _options, collectAll: false, n => Find(n, loaded));
            warnings.AddRange(frame.Parsed.Warnings.Skip(parseWarnings));   // e.g. lines of its env-file that were ignored
            if (!finalized)
                return Failed(ErrorFor(frame.Name, frame.Parsed.Diagnostics[0], false, stack.Take(stack.Count - 1).ToList(), name), warnings);
            var description = frame.Parsed.Description;
            stack.RemoveAt(stack.Count - 1);
            onStack.Remove(frame.Name);
            loaded[frame.Name] = description;
            order.Add(description);
        }

        var cycleError = CheckOrderingCycles(name, order, loaded, reload);
        if (cycleError != null) return Failed(cycleError, warnings);
        // The reference registers a record when a load begins, before its dependencies, and
        // lists services in record order (semantics.md, "Service list order").
        return new LoadOutcome(begun.ConvertAll(n => loaded[n]), null, warnings);

        void Push(string serviceName, ParsedService parsed)
        {
            begun.Add(serviceName);
            stack.Add(new Frame(serviceName, parsed));
            onStack.Add(serviceName);
            warnings.AddRange(parsed.Warnings);
        }
    }

    private ServiceDescription? Find(string name, Dictionary<string, ServiceDescription> loaded) =>
        loaded.TryGetValue(name, out var d) ? d : _options.FindLoaded?.Invoke(name);

    private static LoadOutcome Failed(LoadError error, List<string> warnings) => new([], error, warnings);

    /// <summary>
    /// The error of <paramref name="failed"/> (the requested service or a dependency), with a
    /// <c>could not load dependency.</c> line for each dependent on <paramref name="dependents"/>.
    /// </summary>
    private static LoadError ErrorFor(string failed, Diagnostic diagnostic, bool notFound, IReadOnlyList<Frame> dependents, string requested)
    {
        var own = new LoadError(
            notFound ? LoadErrorKind.NotFound : diagnostic.IsLoadError ? LoadErrorKind.LoadFailed : LoadErrorKind.DescriptionError,
            failed, diagnostic.Message, [diagnostic.DaemonLine(failed)], null);
        return dependents.Count == 0 ? own : Propagate(own, dependents, requested, LoadErrorKind.DependencyFailed);
    }

    private static LoadError CycleError(string requested, string cyclic, IReadOnlyList<Frame> dependents)
    {
        var own = new LoadError(LoadErrorKind.Cycle, cyclic, "has cyclic dependency.",
            [$"Could not load service {ServiceName.Split(cyclic).BaseName}: has cyclic dependency."], null);
        return Propagate(own, dependents, requested, LoadErrorKind.Cycle);
    }

    private const string DependencyFailedMessage = "could not load dependency.";

    private static LoadError Propagate(LoadError cause, IReadOnlyList<Frame> dependents, string requested, LoadErrorKind kind)
    {
        var lines = new List<string>(cause.LogLines);
        for (var i = dependents.Count - 1; i >= 0; i--)
            lines.Add($"Could not load service {ServiceName.Split(dependents[i].Name).BaseName}: {DependencyFailedMessage}");
        return new LoadError(kind, requested, DependencyFailedMessage, lines, cause);
    }

    /// <summary>
    /// Cycles made with before/after links (service-files.md §8 step 10), or — on reload — through
    /// services loaded earlier. Plain dependency cycles inside this load were found by the walk.
    /// </summary>
    private LoadError? CheckOrderingCycles(string requested, List<ServiceDescription> order,
        Dictionary<string, ServiceDescription> loaded, bool reload)
    {
        var needed = reload || order.Any(d => d.Dependencies.Any(x => x.Type is DependencyType.Before or DependencyType.After));
        if (!needed) return null;
        var cycle = CycleFinder.Find(order.Select(d => d.Name), n => Find(n, loaded));
        if (cycle == null) return null;
        var culprit = cycle.Any(s => s.Service == requested) ? requested : cycle.FirstOrDefault(s => loaded.ContainsKey(s.Service)).Service ?? requested;
        var own = new LoadError(LoadErrorKind.Cycle, culprit, "has cyclic dependency.",
            [$"Could not load service {ServiceName.Split(culprit).BaseName}: has cyclic dependency."], null);
        if (culprit == requested) return own;
        return new LoadError(LoadErrorKind.Cycle, requested, DependencyFailedMessage,
            [.. own.LogLines, $"Could not load service {ServiceName.Split(requested).BaseName}: {DependencyFailedMessage}"], own);
    }
}
