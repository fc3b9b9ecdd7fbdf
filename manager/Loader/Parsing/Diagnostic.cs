namespace Tinyinit.Loader;

/// <summary>
/// How a diagnostic is presented. The daemon log and dinit-check each have their own format
/// per form (service-files.md §3.6, ctl.md §12).
/// </summary>
internal enum DiagnosticForm
{
    /// <summary>Daemon format 1 (file, line); check <c>Service 'x' (file:line): msg</c>.</summary>
    Positioned,
    /// <summary>Daemon format 2 (setting, file, line); check as <see cref="Positioned"/>.</summary>
    PositionedSetting,
    /// <summary>Daemon format 3 (setting, no line); check <c>Service 'x' setting 's': msg</c> (pre-load substitution).</summary>
    Setting,
    /// <summary>Daemon format 3; check <c>Service 'x': setting: msg</c> (post-load path substitution).</summary>
    PathSubstitution,
    /// <summary>Daemon format 3; check <c>Unable to load service 'x': msg</c> and stop (command substitution).</summary>
    CommandSubstitution,
    /// <summary>Raised by the line reader. Daemon format 1 (or "Could not load" for load errors); check <c>Unable to load service</c> and stop.</summary>
    LineReader,
    /// <summary>After-parse checks: daemon <c>Could not load service x: msg</c>; check <c>Service 'x': msg</c>.</summary>
    Final,
    /// <summary>A file that opened but could not be read (e.g. a directory).</summary>
    ReadError,
}

/// <summary>One error found while loading a service description.</summary>
/// <param name="Message">The spec's text.</param>
/// <param name="IsLoadError">SERVICE_LOAD_ERR class rather than SERVICE_DESC_ERR (ctl.md §2).</param>
/// <param name="ServiceNameOverride">Reference quirk: the name printed instead of the service's own.</param>
/// <param name="CheckerMessage">dinit-check's text where it differs from the daemon's.</param>
internal sealed record Diagnostic(
    string Message,
    DiagnosticForm Form,
    string? Setting = null,
    string? File = null,
    int Line = 0,
    bool IsLoadError = false,
    string? ServiceNameOverride = null,
    string? CheckerMessage = null)
{
    /// <summary>True when dinit-check stops checking the service after this error.</summary>
    public bool StopsChecking => Form is DiagnosticForm.LineReader or DiagnosticForm.CommandSubstitution or DiagnosticForm.ReadError;

    /// <summary>The daemon's log line (base name of the service, as the reference prints).</summary>
    public string DaemonLine(string fullName)
    {
        var svc = ServiceNameOverride ?? ServiceName.Split(fullName).BaseName;
        return Form switch
        {
            DiagnosticForm.Positioned => $"Error in service description for '{svc}' (file {File}, line {Line}): {Message}",
            DiagnosticForm.LineReader when !IsLoadError => $"Error in service description for '{svc}' (file {File}, line {Line}): {Message}",
            DiagnosticForm.PositionedSetting => $"Error in service description for '{svc}': setting '{Setting}' (file {File}, line {Line}): {Message}",
            DiagnosticForm.Setting or DiagnosticForm.PathSubstitution or DiagnosticForm.CommandSubstitution
                => $"Error in service description for '{svc}' setting '{Setting}': {Message}",
            _ => $"Could not load service {svc}: {Message}",
        };
    }

    /// <summary>dinit-check's stderr lines for this diagnostic.</summary>
    public IEnumerable<string> CheckerLines(string fullName)
    {
        var svc = ServiceNameOverride ?? fullName;
        var message = CheckerMessage ?? Message;
        switch (Form)
        {
            case DiagnosticForm.Positioned or DiagnosticForm.PositionedSetting:
                yield return $"Service '{svc}' ({File}:{Line}): {message}";
                break;
            case DiagnosticForm.Setting:
                yield return $"Service '{svc}' setting '{Setting}': {message}";
                break;
            case DiagnosticForm.PathSubstitution:
                yield return $"Service '{svc}': {Setting}: {message}";
                break;
            case DiagnosticForm.CommandSubstitution or DiagnosticForm.LineReader:
                yield return $"Unable to load service '{svc}': {message}";
                break;
            case DiagnosticForm.ReadError:
                yield return $"Service '{svc}', error reading service description: {message}";
                yield return $"Unable to load service '{svc}': {File}: error while reading service description";
                break;
            default:
                yield return $"Service '{svc}': {message}";
                break;
        }
    }
}
