namespace Tinyinit.Loader;

/// <summary>
/// Environment-file syntax (service-files.md §9), used for a service's <c>env-file</c> and for
/// the daemon's own <c>-e</c> file. Parsing never fails: bad lines become diagnostics.
/// </summary>
public static class EnvironmentFile
{
    /// <param name="text">The file's contents.</param>
    /// <param name="parent">The "parent environment" that <c>!import</c> reads from.</param>
    public static EnvironmentFileResult Parse(string text, IReadOnlyDictionary<string, string> parent)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        var unset = new HashSet<string>(StringComparer.Ordinal);
        var cleared = false;
        var diagnostics = new List<EnvironmentFileDiagnostic>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            // CRLF line ends: the '\r' is the line's end, not part of a value.
            var rawLine = line.EndsWith('\r') ? line[..^1] : line;
            var i = Lexical.SkipSpace(rawLine, 0);
            if (i == rawLine.Length || rawLine[i] == '#') continue;
            if (rawLine[i] == '!')
            {
                var words = Words(rawLine, i + 1);
                var command = words.Count > 0 ? words[0] : "";
                switch (command)
                {
                    case "clear":
                        cleared = true;
                        set.Clear();
                        unset.Clear();
                        break;
                    case "unset":
                        foreach (var name in words.Skip(1)) { set.Remove(name); unset.Add(name); }
                        break;
                    case "import":
                        foreach (var name in words.Skip(1))
                        {
                            if (parent.TryGetValue(name, out var v)) { set[name] = v; unset.Remove(name); }
                            else { set.Remove(name); unset.Add(name); }
                        }
                        break;
                    default:
                        diagnostics.Add(new EnvironmentFileDiagnostic(lineNumber, EnvironmentFileProblem.UnknownCommand));
                        break;
                }
                continue;
            }
            var nameStart = i;
            while (i < rawLine.Length && rawLine[i] != '=' && !Lexical.IsSpace(rawLine[i])) i++;
            var nameEnd = i;
            i = Lexical.SkipSpace(rawLine, i);
            if (nameEnd == nameStart || i == rawLine.Length || rawLine[i] != '=')
            {
                diagnostics.Add(new EnvironmentFileDiagnostic(lineNumber, EnvironmentFileProblem.InvalidSetting));
                continue;
            }
            var varName = rawLine[nameStart..nameEnd];
            if (!EnvironmentName.IsValid(varName))
            {
                diagnostics.Add(new EnvironmentFileDiagnostic(lineNumber, EnvironmentFileProblem.InvalidSetting));
                continue;
            }
            set[varName] = rawLine[(i + 1)..];
            unset.Remove(varName);
        }
        return new EnvironmentFileResult(set, unset, cleared, diagnostics);
    }

    private static List<string> Words(string line, int start)
    {
        var words = new List<string>();
        var i = start;
        while (true)
        {
            i = Lexical.SkipSpace(line, i);
            if (i >= line.Length) return words;
            var s = i;
            while (i < line.Length && !Lexical.IsSpace(line[i])) i++;
            words.Add(line[s..i]);
        }
    }
}

public enum EnvironmentFileProblem
{
    /// <summary>Daemon: <c>Invalid environment variable setting in environment file (line N)</c>.</summary>
    InvalidSetting,
    /// <summary>Daemon: <c>Unknown command in environment file (line N)</c>.</summary>
    UnknownCommand,
}

public sealed record EnvironmentFileDiagnostic(int Line, EnvironmentFileProblem Problem)
{
    /// <summary>The daemon's log text for its own <c>-e</c> file.</summary>
    public string DaemonMessage => Problem == EnvironmentFileProblem.InvalidSetting
        ? $"Invalid environment variable setting in environment file (line {Line})"
        : $"Unknown command in environment file (line {Line})";

    /// <summary>The same, naming the file (tinyinit's own messages).</summary>
    public string MessageFor(string path) => Problem == EnvironmentFileProblem.InvalidSetting
        ? $"Invalid environment variable setting in environment file {path} (line {Line})"
        : $"Unknown command in environment file {path} (line {Line})";
}

/// <summary>What an environment file does to its parent environment.</summary>
/// <param name="Set">Variables set or imported explicitly (final values).</param>
/// <param name="Unset">Variables removed (also blocks inheritance from the parent).</param>
/// <param name="Cleared">True when <c>!clear</c> was used: nothing is inherited.</param>
public sealed record EnvironmentFileResult(
    IReadOnlyDictionary<string, string> Set,
    IReadOnlySet<string> Unset,
    bool Cleared,
    IReadOnlyList<EnvironmentFileDiagnostic> Diagnostics)
{
    /// <summary>The parent environment after this file: what the daemon's <c>-e</c> produces.</summary>
    public Dictionary<string, string> ApplyTo(IReadOnlyDictionary<string, string> parent)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Cleared)
            foreach (var (k, v) in parent)
                if (!Unset.Contains(k)) result[k] = v;
        foreach (var (k, v) in Set) result[k] = v;
        return result;
    }
}
