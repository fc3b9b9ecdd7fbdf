using Tinyinit.Engine;
using Tinyinit.Loader;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// Loads service descriptions on demand and installs them into the engine: the one place the
/// loader and the engine meet. A failed load installs nothing; its log lines (the spec's
/// exact texts) go to the manager's log.
/// </summary>
internal sealed class ServiceCatalog
{
    private readonly ServiceLoader _loader;
    private readonly ServiceSet _services;
    private readonly Action<string> _logError;
    private readonly Action<string> _logWarning;

    public ServiceCatalog(ServiceLoader loader, ServiceSet services, Action<string> logError, Action<string> logWarning)
    {
        _loader = loader;
        _services = services;
        _logError = logError;
        _logWarning = logWarning;
    }

    public IReadOnlyList<string> ServiceDirectories => _loader.Options.ServiceDirectories;

    /// <summary>Finds a loaded service or loads it (and its dependencies).</summary>
    public ServiceRecord? FindOrLoad(string name, out LoadError? error)
    {
        error = null;
        if (_services.Find(name) is { } loaded) return loaded;
        var outcome = _loader.Load(name, IsLoaded);
        foreach (var warning in outcome.Warnings) _logWarning(warning);
        if (outcome.Error != null)
        {
            error = outcome.Error;
            return null;
        }
        try
        {
            _services.Install(outcome.Services);
            RecordDescriptionTimes(outcome.Services);
        }
        catch (ArgumentException e)
        {
            _logError($"Could not load service {name}: {e.Message}");
            return null;
        }
        return _services.Find(name);
    }

    /// <summary>Like <see cref="FindOrLoad"/>, logging a failure the way a control request's is logged.</summary>
    public ServiceRecord? FindOrLoadLogged(string name, out LoadError? error)
    {
        var record = FindOrLoad(name, out error);
        if (error != null)
            foreach (var line in error.LogLines) _logError(line);
        return record;
    }

    /// <summary>Re-reads the service's description and applies it (semantics.md §18).</summary>
    public bool Reload(ServiceRecord record)
    {
        var outcome = _loader.Reload(record.Name, IsLoaded);
        foreach (var warning in outcome.Warnings) _logWarning(warning);
        if (outcome.Error != null)
        {
            foreach (var line in outcome.Error.LogLines) _logError(line);
            return false;
        }
        var description = outcome.Services.LastOrDefault(d => d.Name == record.Name);
        if (description == null) return false;
        try
        {
            var newDependencies = outcome.Services.Where(d => d.Name != record.Name).ToList();
            if (newDependencies.Count > 0) _services.Install(newDependencies);
        }
        catch (ArgumentException e)
        {
            _logError($"Could not reload service {record.Name}: {e.Message}");
            return false;
        }
        if (_services.Reload(record, description, out var problem) == CommandResult.Ack)
        {
            RecordDescriptionTimes(outcome.Services);
            return true;
        }
        _logError($"Could not reload service {record.Name}: {problem}");
        return false;
    }

    /// <summary>
    /// A service's description alone (its dependencies come from the hand-over record), for a
    /// successor manager restoring its predecessor's services; null (logged) when it cannot be loaded.
    /// </summary>
    public ServiceDescription? LoadDescriptionOnly(string name)
    {
        var outcome = _loader.Reload(name, _ => true);
        foreach (var warning in outcome.Warnings) _logWarning(warning);
        if (outcome.Error != null)
        {
            foreach (var line in outcome.Error.LogLines) _logError(line);
            return null;
        }
        return outcome.Services.FirstOrDefault(d => d.Name == name);
    }

    private void RecordDescriptionTimes(IReadOnlyList<ServiceDescription> descriptions)
    {
        foreach (var description in descriptions)
            if (_services.FindIncludingPlaceholders(description.Name) is { } record)
                ServiceOsState.Of(record).RecordDescriptionTime(description.SourcePath);
    }

    private bool IsLoaded(string name) => _services.Find(name) != null;
}
