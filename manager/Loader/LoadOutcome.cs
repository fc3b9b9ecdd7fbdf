namespace Tinyinit.Loader;

/// <summary>Result of <see cref="ServiceLoader.Load"/> or <see cref="ServiceLoader.Reload"/>.</summary>
public sealed class LoadOutcome
{
    internal LoadOutcome(IReadOnlyList<ServiceDescription> services, LoadError? error, IReadOnlyList<string> warnings)
    {
        Services = services;
        Error = error;
        Warnings = warnings;
    }

    /// <summary>Newly loaded services in the order their loads began (a service before the
    /// dependencies it pulled in): the order they are to be listed in. Empty on error.</summary>
    public IReadOnlyList<ServiceDescription> Services { get; }

    /// <summary>Null on success; on error nothing is to be installed.</summary>
    public LoadError? Error { get; }

    /// <summary>Lines to log at WARNING level (lenient <c>.d</c> directory problems).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool Succeeded => Error == null;
}
