using System.Collections;
using Tinyinit.Loader;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// The global environment (semantics.md §16): the manager's own environment (minus the
/// variables tinyinit uses to talk to it), modified by the <c>-e</c> file, then by
/// <c>tinyctl setenv/unsetenv</c>. Processes get it as of their launch.
/// </summary>
internal sealed class GlobalEnvironment
{
    private static readonly string[] PrivateVariables =
        [InitLinkEnvironment.LinkFdVariable, InitLinkEnvironment.KernelArgsVariable, InitLinkEnvironment.StateFdVariable,
         InitLinkEnvironment.UserModeVariable];

    private Dictionary<string, string> _variables;

    /// <summary>Grows with every change (the crash record is rewritten when it moved).</summary>
    public long Version { get; private set; }

    private GlobalEnvironment(Dictionary<string, string> variables) => _variables = variables;

    /// <summary>A live view: the loader substitutes from the current values.</summary>
    public IReadOnlyDictionary<string, string> Variables => _variables;

    public static GlobalEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        foreach (var name in PrivateVariables) variables.Remove(name);
        return new GlobalEnvironment(variables);
    }

    /// <summary>Applies an environment file's text; returns the daemon's messages for bad lines.</summary>
    public IReadOnlyList<string> ApplyFile(string text, string path)
    {
        var result = EnvironmentFile.Parse(text, _variables);
        var applied = result.ApplyTo(_variables);
        Version++;
        _variables.Clear();
        foreach (var (k, v) in applied) _variables[k] = v;
        return result.Diagnostics.Select(d => d.MessageFor(path)).ToList();
    }

    /// <summary>Sets (value non-null) or removes a variable; says whether it had a value. A name
    /// that is not valid (<see cref="EnvironmentName"/>) or a NUL in the value changes nothing.</summary>
    public bool Set(string name, string? value)
    {
        if (!IsAcceptable(name, value)) return _variables.ContainsKey(name);
        var had = _variables.ContainsKey(name);
        Version++;
        if (value == null) _variables.Remove(name);
        else _variables[name] = value;
        return had;
    }

    /// <summary>Takes a predecessor manager's environment as it was after its setenv/unsetenv.</summary>
    public void Replace(IEnumerable<KeyValuePair<string, string>> variables)
    {
        Version++;
        _variables.Clear();
        foreach (var (k, v) in variables) _variables[k] = v;
    }

    public static bool IsAcceptable(string name, string? value) =>
        EnvironmentName.IsValid(name) && (value == null || !value.Contains('\0'));

    public IEnumerable<string> Assignments() => _variables.Select(kv => kv.Key + "=" + kv.Value);
}
