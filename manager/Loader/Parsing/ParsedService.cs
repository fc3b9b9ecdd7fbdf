namespace Tinyinit.Loader;

/// <summary>A <c>.d</c> directory that could not be read (daemon: warning; dinit-check: error).</summary>
internal sealed record DirectoryProblem(string AsWritten, string ResolvedPath, string ErrorText);

/// <summary>
/// A description after its lines were read, before finalisation (service-files.md §8): the
/// settings that are substituted after loading are kept raw here.
/// </summary>
internal sealed class ParsedService
{
    public ParsedService(ServiceDescription description) => Description = description;

    public ServiceDescription Description { get; }

    public List<string> Command { get; set; } = [];
    public List<string> StopCommand { get; set; } = [];
    public string? WorkingDir { get; set; }
    public string? LogFile { get; set; }
    public string? PidFile { get; set; }
    /// <summary>Raw <c>socket-listen</c> values: <c>=</c> replaces the list, <c>+=</c> adds to it.</summary>
    public List<string> SocketListen { get; } = [];
    /// <summary>Resolved env-file path (after pre-load substitution).</summary>
    public string? EnvFile { get; set; }

    public List<DependencySpec> Dependencies { get; } = [];
    /// <summary><c>@meta</c> lines by first word (shared with the description).</summary>
    public Dictionary<string, string> Meta { get; } = new(StringComparer.Ordinal);
    public List<Diagnostic> Diagnostics { get; } = [];
    /// <summary>Daemon warnings (lenient <c>.d</c> directories).</summary>
    public List<string> Warnings { get; } = [];
    public List<DirectoryProblem> DirectoryProblems { get; } = [];
    /// <summary>Names of the settings that appeared (for dinit-check's lint).</summary>
    public HashSet<string> Specified { get; } = new(StringComparer.Ordinal);
    /// <summary>
    /// The number of diagnostics recorded when the first environment-variable lookup was made
    /// (any setting, <c>$1</c> excluded), or null when none was: dinit-check's offline warning.
    /// </summary>
    public int? DiagnosticsBeforeFirstLookup { get; private set; }

    /// <summary>Notes an environment-variable lookup (only the first one counts).</summary>
    public void NoteVariableLookup() => DiagnosticsBeforeFirstLookup ??= Diagnostics.Count;
    /// <summary>The number of dependencies read before the first error (the daemon loads those first).</summary>
    public int DependenciesBeforeError { get; set; } = -1;

    /// <summary>For dependencies from a <c>.d</c> directory: index → the directory as written.</summary>
    public Dictionary<int, string> DependencyDirectories { get; } = [];

    public string DirectoryOf(int dependencyIndex) =>
        DependencyDirectories.TryGetValue(dependencyIndex, out var d) ? d : "";

    public bool HasErrors => Diagnostics.Count > 0;
}
