namespace Tinyinit.Loader;

/// <summary>
/// Loads service descriptions and their dependencies (service-files.md, semantics.md §18).
/// </summary>
public sealed class ServiceLoader
{
    private readonly LoaderOptions _options;

    public ServiceLoader(LoaderOptions options) => _options = options;

    public LoaderOptions Options => _options;

    /// <summary>Loads <paramref name="name"/> and every dependency not yet loaded.</summary>
    /// <param name="isAlreadyLoaded">True for a service the caller already holds: it is not re-read.</param>
    public LoadOutcome Load(string name, Func<string, bool> isAlreadyLoaded) =>
        throw new NotImplementedException();

    /// <summary>Re-reads a loaded service's description (and loads any new dependencies).</summary>
    public LoadOutcome Reload(string name, Func<string, bool> isAlreadyLoaded) =>
        throw new NotImplementedException();
}
