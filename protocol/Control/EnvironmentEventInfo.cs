namespace Tinyinit.Protocol.Control;

/// <summary>An ENVEVENT packet: <c>NAME=VALUE</c> (set) or <c>NAME</c> (unset).</summary>
public readonly record struct EnvironmentEventInfo(string Assignment, bool HadValue)
{
    public bool IsSet => Assignment.Contains('=');
    public string Name => IsSet ? Assignment[..Assignment.IndexOf('=')] : Assignment;
    public string Value => IsSet ? Assignment[(Assignment.IndexOf('=') + 1)..] : "";
}
