namespace Tinyinit.Loader;

/// <summary>
/// Why a load failed. Maps onto the control-protocol reply (ctl.md §2):
/// <see cref="NotFound"/> → NOSERVICE, <see cref="DescriptionError"/> → SERVICE_DESC_ERR,
/// <see cref="InvalidName"/> → BADREQ, everything else → SERVICE_LOAD_ERR.
/// </summary>
public enum LoadErrorKind
{
    /// <summary>The requested service's description file was not found.</summary>
    NotFound,
    /// <summary>A line-reader, setting or substitution error in the requested service's own files.</summary>
    DescriptionError,
    /// <summary>The requested name is empty or starts with '.' or '@' (or is too long).</summary>
    InvalidName,
    /// <summary>A dependency cycle (including before/after ordering links).</summary>
    Cycle,
    /// <summary>A (transitive) dependency failed to load.</summary>
    DependencyFailed,
    /// <summary>Any other failure: post-parse checks, env-file, @include open errors, I/O errors.</summary>
    LoadFailed,
}

/// <summary>A failed load, with the daemon-log lines that describe it (spec's exact texts).</summary>
public sealed class LoadError
{
    internal LoadError(LoadErrorKind kind, string serviceName, string message, IReadOnlyList<string> logLines, LoadError? cause)
    {
        Kind = kind;
        ServiceName = serviceName;
        Message = message;
        LogLines = logLines;
        Cause = cause;
    }

    public LoadErrorKind Kind { get; }

    /// <summary>The service whose load was requested (full name).</summary>
    public string ServiceName { get; }

    /// <summary>The requested service's own message, e.g. <c>could not load dependency.</c>.</summary>
    public string Message { get; }

    /// <summary>
    /// Every line the daemon logs at ERROR level for this failure, in order: the failing
    /// dependency's own line first, then one <c>Could not load service X: could not load
    /// dependency.</c> per dependent, ending with the requested service's line in control-socket
    /// form (<c>Could not load service …</c> or <c>Error in service description …</c>).
    /// </summary>
    public IReadOnlyList<string> LogLines { get; }

    /// <summary>For <see cref="LoadErrorKind.DependencyFailed"/>: the dependency that failed first.</summary>
    public LoadError? Cause { get; }

    /// <summary>
    /// The lines to log when the failing service was named on the daemon command line
    /// (semantics.md §17.2): a missing file is <c>&lt;svc&gt;: could not find service
    /// description.</c>, other non-description errors <c>&lt;svc&gt;: error loading: &lt;msg&gt;</c>.
    /// </summary>
    public IReadOnlyList<string> StartupLogLines
    {
        get
        {
            if (LogLines.Count == 0) return LogLines;
            var last = LogLines[^1];
            var prefix = "Could not load service ";
            if (!last.StartsWith(prefix, StringComparison.Ordinal)) return LogLines;
            var baseName = ServiceNameBase;
            var replaced = Kind == LoadErrorKind.NotFound
                ? $"{baseName}: could not find service description."
                : $"{baseName}: error loading: {Message}";
            return [.. LogLines.Take(LogLines.Count - 1), replaced];
        }
    }

    private string ServiceNameBase => Tinyinit.Loader.ServiceName.Split(ServiceName).BaseName;

    public override string ToString() => $"{Kind}: {ServiceName}: {Message}";
}
