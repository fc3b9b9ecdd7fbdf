using Tinyinit.Native;
using System.Text;

namespace Tinyinit.Loader;

/// <summary>
/// Reads one service's description: the main file and its <c>@include</c>s, line by line
/// (service-files.md §3), dispatching setting lines to <see cref="SettingHandlers"/>.
/// Overview of the constraints:
/// * includes are a stack of open fragments, never recursion; nesting deeper than
///   <see cref="MaxIncludeDepth"/> is an error, so include loops end;
/// * the daemon stops at the first error; dinit-check (<c>collectAll</c>) keeps going after
///   setting errors but stops after a line-reader error, as the reference does;
/// * nothing here throws on bad input: every problem is a <see cref="Diagnostic"/>.
/// </summary>
internal sealed class DescriptionParser
{
    public const int MaxIncludeDepth = 32;
    public const string BadlyFormed = "badly formed line.";
    public const string ContinuationNoSpace = "line following line-continuation backslash (`\\') does not begin with whitespace character";
    public const string ContinuationEof = "end-of-file follows backslash escape character (`\\')";
    public const string IncludeArgs = "'@include' requires a single argument";
    public const string BadMeta = "bad meta command";

    private readonly LoaderOptions _options;
    private readonly bool _collectAll;
    private readonly Stack<Fragment> _fragments = new();

    public string FullName { get; }
    public string BaseName { get; }
    /// <summary>The service argument; null when the name has no '@'.</summary>
    public string? Argument { get; }
    public ParsedService Result { get; }
    public LoaderOptions Options => _options;
    public IUserDatabase Users => _options.Users;

    private DescriptionParser(string fullName, string path, string serviceDirectory, LoaderOptions options, bool collectAll)
    {
        FullName = fullName;
        (BaseName, Argument) = ServiceName.Split(fullName);
        _options = options;
        _collectAll = collectAll;
        Result = new ParsedService(new ServiceDescription
        {
            Name = fullName,
            SourcePath = path,
            ServiceDirectory = serviceDirectory,
        });
    }

    /// <summary>Parses the text of the main file <paramref name="path"/>.</summary>
    /// <param name="collectAll">dinit-check mode: report every setting error.</param>
    public static ParsedService Parse(string fullName, string path, string serviceDirectory, string text,
        LoaderOptions options, bool collectAll)
    {
        var parser = new DescriptionParser(fullName, path, serviceDirectory, options, collectAll);
        parser.Run(new Fragment(path, text));
        return parser.Result;
    }

    /// <summary>True once no further line should be processed.</summary>
    private bool Stopped { get; set; }

    private void Run(Fragment main)
    {
        _fragments.Push(main);
        while (_fragments.Count > 0 && !Stopped)
        {
            var fragment = _fragments.Peek();
            if (!fragment.TryNextLine(out var line, out var lineNumber, out var lineError))
            {
                _fragments.Pop();
                continue;
            }
            if (lineError != null)
            {
                AddLineReaderError(lineError, fragment.Path, lineNumber);
                continue;
            }
            ProcessLine(fragment, line!, lineNumber);
        }
    }

    private void ProcessLine(Fragment fragment, string line, int lineNumber)
    {
        var i = Lexical.SkipSpace(line, 0);
        if (i == line.Length || line[i] == '#') return;
        if (line[i] == '@')
        {
            ProcessMeta(fragment, line, i + 1, lineNumber);
            return;
        }
        var name = Lexical.ReadName(line, ref i);
        if (name.Length == 0)
        {
            AddLineReaderError(BadlyFormed, fragment.Path, lineNumber);
            return;
        }
        i = Lexical.SkipSpace(line, i);
        var append = false;
        if (i < line.Length && line[i] == '+' && i + 1 < line.Length && line[i + 1] == '=')
        {
            append = true;
            i += 2;
        }
        else if (i < line.Length && (line[i] == '=' || line[i] == ':'))
        {
            i++;
        }
        else
        {
            AddLineReaderError(BadlyFormed, fragment.Path, lineNumber);
            return;
        }
        var context = new SettingContext(this, fragment, name, lineNumber, append);
        if (!SettingHandlers.Table.TryGetValue(name, out var setting))
        {
            context.Error($"unknown setting: '{name}'.");
            return;
        }
        if (append && !setting.AllowsAppend)
        {
            context.Error($"cannot use '+=' with setting '{name}'");
            return;
        }
        var tokens = ValueParser.Tokenize(line, Lexical.SkipSpace(line, i), out var valueError);
        if (valueError != null)
        {
            context.Error(valueError);
            return;
        }
        context.Tokens = tokens;
        Result.Specified.Add(setting.CanonicalName);
        setting.Handle(context);
    }

    private void ProcessMeta(Fragment fragment, string line, int i, int lineNumber)
    {
        var command = Lexical.ReadName(line, ref i);
        if (command != "include" && command != "include-opt" && command != "meta")
        {
            AddLineReaderError(BadMeta, fragment.Path, lineNumber);
            return;
        }
        if (i < line.Length && !Lexical.IsSpace(line[i]))
        {
            AddLineReaderError(BadMeta, fragment.Path, lineNumber);
            return;
        }
        var tokens = ValueParser.Tokenize(line, Lexical.SkipSpace(line, i), out var valueError);
        if (command == "meta")
        {
            if (valueError == null && tokens.Count > 0)
            {
                Result.Meta[tokens[0]] = string.Join(' ', tokens.Skip(1));
                // Shared only once there is something in it: most descriptions have no meta lines.
                Result.Description.Meta = Result.Meta;
            }
            return;
        }
        if (valueError != null)
        {
            AddLineReaderError(valueError, fragment.Path, lineNumber);
            return;
        }
        if (tokens.Count != 1)
        {
            AddLineReaderError(IncludeArgs, fragment.Path, lineNumber);
            return;
        }
        var written = PreLoadSubstitute(tokens[0], command);
        if (written == null) return;
        Include(fragment, written, optional: command == "include-opt", lineNumber);
    }

    private void Include(Fragment from, string written, bool optional, int lineNumber)
    {
        if (_fragments.Count > MaxIncludeDepth)
        {
            AddLineReaderError($"'@include' nesting is too deep (more than {MaxIncludeDepth} levels)", from.Path, lineNumber, isLoadError: true);
            return;
        }
        var path = Path.IsPathRooted(written) ? written : Path.Combine(from.RealDirectory, written);
        var read = FileReader.ReadAll(path, _options.IsSpecialFile);
        if (read.Text != null)
        {
            _fragments.Push(new Fragment(path, read.Text));
            return;
        }
        if (read.OpenFailed)
        {
            if (optional && read.Errno == Libc.ENOENT) return;
            AddLineReaderError($"{written}: cannot open: {read.ErrorText}", from.Path, lineNumber, isLoadError: true);
            return;
        }
        AddDiagnostic(new Diagnostic($"{path}: {read.ErrorText}", DiagnosticForm.ReadError, File: path,
            IsLoadError: true, CheckerMessage: read.ErrorText));
        Stopped = true;
    }

    private void AddLineReaderError(string message, string file, int line, bool isLoadError = false)
    {
        AddDiagnostic(new Diagnostic(message, DiagnosticForm.LineReader, File: file, Line: line, IsLoadError: isLoadError));
        Stopped = true; // neither the daemon nor dinit-check reads on after a line-reader error
    }

    internal void AddDiagnostic(Diagnostic diagnostic)
    {
        if (Result.Diagnostics.Count == 0) Result.DependenciesBeforeError = Result.Dependencies.Count;
        Result.Diagnostics.Add(diagnostic);
        if (!_collectAll) Stopped = true;
    }

    /// <summary>Variable lookup for pre-load substitution: global environment plus the argument.</summary>
    internal string? PreLoadLookup(string name)
    {
        if (name == "1") return Argument;
        Result.NoteVariableLookup();
        return _options.Environment.TryGetValue(name, out var v) ? v : null;
    }

    /// <summary>Pre-load substitution of a setting's value; reports a format-3 error and returns null on failure.</summary>
    internal string? PreLoadSubstitute(string value, string setting)
    {
        var result = Substitution.ExpandString(value, PreLoadLookup, out var error);
        if (error != null)
        {
            var displayed = setting is "include" or "include-opt" ? null : setting;
            if (displayed == null)
                AddDiagnostic(new Diagnostic(error, DiagnosticForm.LineReader, File: _fragments.Peek().Path, Line: _fragments.Peek().LineNumber));
            else
                AddDiagnostic(new Diagnostic($"{error}", DiagnosticForm.Setting, Setting: setting));
        }
        return result;
    }

    /// <summary>One file being read (the main file or an included one).</summary>
    internal sealed class Fragment
    {
        private readonly string[] _lines;
        private int _next;
        private string? _realDirectory;

        public Fragment(string path, string text)
        {
            Path = path;
            _lines = text.Split('\n');
            // A final newline does not start another line (but see continuation at EOF).
            EndsWithNewline = text.EndsWith('\n');
        }

        public string Path { get; }
        public int LineNumber { get; private set; }
        private bool EndsWithNewline { get; }

        /// <summary>Directory of the path as written (for <c>.d</c> settings).</summary>
        public string LexicalDirectory => DirectoryOf(Path);

        /// <summary>Directory after following a symlink on the final component (includes, env-file).</summary>
        public string RealDirectory => _realDirectory ??= DirectoryOf(FileReader.RealDirectoryOf(Path) + "/x");

        private static string DirectoryOf(string path)
        {
            var dir = System.IO.Path.GetDirectoryName(path);
            return string.IsNullOrEmpty(dir) ? (path.StartsWith('/') ? "/" : ".") : dir;
        }

        private int PhysicalCount => EndsWithNewline ? _lines.Length - 1 : _lines.Length;

        /// <summary>The next logical line (continuations joined with an embedded newline).</summary>
        public bool TryNextLine(out string? line, out int lineNumber, out string? error)
        {
            line = null;
            error = null;
            lineNumber = 0;
            if (_next >= PhysicalCount) return false;
            var text = _lines[_next++];
            LineNumber = _next;
            if (!EndsInOddBackslashes(text))
            {
                line = text;
                lineNumber = LineNumber;
                return true;
            }
            var joined = new StringBuilder(text);
            while (EndsInOddBackslashes(text))
            {
                if (_next >= _lines.Length)
                {
                    error = ContinuationEof;
                    lineNumber = LineNumber;
                    return true;
                }
                text = _lines[_next++];
                LineNumber = _next;
                if (text.Length == 0 || !Lexical.IsSpace(text[0]))
                {
                    error = ContinuationNoSpace;
                    lineNumber = LineNumber;
                    return true;
                }
                joined.Length--;
                joined.Append('\n').Append(text);
            }
            line = joined.ToString();
            lineNumber = LineNumber;
            return true;
        }

        private static bool EndsInOddBackslashes(string text)
        {
            var count = 0;
            for (var i = text.Length - 1; i >= 0 && text[i] == '\\'; i--) count++;
            return (count & 1) == 1;
        }
    }
}
