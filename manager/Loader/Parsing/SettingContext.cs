namespace Tinyinit.Loader;

/// <summary>One setting line being applied: its name, operator, tokens and position.</summary>
internal sealed class SettingContext
{
    private readonly DescriptionParser _parser;

    public SettingContext(DescriptionParser parser, DescriptionParser.Fragment fragment, string name, int line, bool append)
    {
        _parser = parser;
        Fragment = fragment;
        Name = name;
        Line = line;
        Append = append;
    }

    public DescriptionParser.Fragment Fragment { get; }
    public string Name { get; }
    public int Line { get; }
    public bool Append { get; }
    private List<string> _tokens = [];
    private string? _value;

    public List<string> Tokens
    {
        get => _tokens;
        set { _tokens = value; _value = null; }
    }

    /// <summary>The string value: tokens joined with single spaces (§3.4).</summary>
    public string Value => _value ??= _tokens.Count == 1 ? _tokens[0] : string.Join(' ', _tokens);

    public ParsedService Result => _parser.Result;
    public ServiceDescription Description => _parser.Result.Description;
    public DescriptionParser Parser => _parser;
    public IUserDatabase Users => _parser.Users;

    /// <summary>Format-1 error (file and line, no setting name).</summary>
    public void Error(string message) =>
        _parser.AddDiagnostic(new Diagnostic(message, DiagnosticForm.Positioned, Setting: Name, File: Fragment.Path, Line: Line));

    /// <summary>Format-2 error (setting name, file and line).</summary>
    public void SettingError(string message, string? serviceNameOverride = null) =>
        _parser.AddDiagnostic(new Diagnostic(message, DiagnosticForm.PositionedSetting, Setting: Name, File: Fragment.Path,
            Line: Line, ServiceNameOverride: serviceNameOverride));

    /// <summary>Pre-load substitution of the string value (null after reporting an error).</summary>
    public string? PreLoad() => _parser.PreLoadSubstitute(Value, Name);
}
