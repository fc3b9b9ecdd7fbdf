using System.Text;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// The little of a service description that enable/disable reads (ctl.md §9): setting lines
/// <c>name = value</c> / <c>name: value</c>, <c>@meta enable-via</c>, and <c>$VAR</c> /
/// <c>${VAR}</c> substitution for <c>waits-for.d</c>. Settings are not validated here.
/// </summary>
internal static class DescriptionLines
{
    public readonly record struct Setting(string Name, string Value);

    public static IEnumerable<Setting> Settings(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (line.Length == 0 || line[0] == '@') continue;
            var end = 0;
            while (end < line.Length && (char.IsLetterOrDigit(line[end]) || line[end] is '-' or '.' or '_')) end++;
            var rest = line[end..].TrimStart();
            if (rest.StartsWith("+=")) rest = rest[2..];
            else if (rest.Length > 0 && rest[0] is '=' or ':') rest = rest[1..];
            else continue;
            yield return new Setting(line[..end], Unquote(rest.Trim()));
        }
    }

    /// <summary>The <c>@meta enable-via</c> value: null if absent; throws when malformed.</summary>
    public static string? EnableVia(string text, Func<string> malformed)
    {
        foreach (var raw in text.Split('\n'))
        {
            var words = StripComment(raw).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0] != "@meta" || words[1] != "enable-via") continue;
            if (words.Length != 3) throw new Client.CtlException(malformed());
            return words[2];
        }
        return null;
    }

    public static string Substitute(string value, Func<string, string?> environment)
    {
        var result = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '$' || i + 1 == value.Length) { result.Append(value[i]); continue; }
            if (value[i + 1] == '$') { result.Append('$'); i++; continue; }
            var braced = value[i + 1] == '{';
            var start = braced ? i + 2 : i + 1;
            var end = start;
            while (end < value.Length && (char.IsLetterOrDigit(value[end]) || value[end] == '_')) end++;
            result.Append(environment(value[start..end]) ?? "");
            i = braced && end < value.Length && value[end] == '}' ? end : end - 1;
        }
        return result.ToString();
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#');
        return hash < 0 ? line : line[..hash];
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
}
