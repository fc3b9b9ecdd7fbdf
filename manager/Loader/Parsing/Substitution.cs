using System.Text;

namespace Tinyinit.Loader;

/// <summary>
/// Variable substitution (service-files.md §5): <c>$$</c>, <c>$NAME</c>, <c>${NAME}</c>,
/// <c>${NAME:-w}</c>, <c>${NAME-w}</c>, <c>${NAME:+w}</c>, <c>${NAME+w}</c>, the word-splitting
/// <c>$/…</c> forms and the service argument <c>$1</c>. Substituted text is never re-scanned.
/// </summary>
internal static class Substitution
{
    public const string BadName = "invalid/missing variable name after '$'";
    public const string OnlyOneArgument = "only one service argument may be present";
    public const string BadSyntax = "invalid syntax in variable substitution";
    public const string Unmatched = "unmatched '{' in variable substitution";
    public const string MissingArgument = "missing value in argument substitution";

    /// <summary>Looks a variable up; null = unset. The name "1" is the service argument.</summary>
    public delegate string? Lookup(string name);

    /// <summary>True when <paramref name="text"/> contains a variable reference (not just <c>$$</c>).</summary>
    public static bool HasReference(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$') continue;
            if (i + 1 < text.Length && text[i + 1] == '$') { i++; continue; }
            return true;
        }
        return false;
    }

    /// <summary>Substitutes a string value; <c>$/</c> pieces are joined with single spaces.</summary>
    public static string? ExpandString(string text, Lookup lookup, out string? error)
    {
        var words = ExpandToken(text, lookup, out error);
        return error != null ? null : string.Join(' ', words!);
    }

    /// <summary>
    /// Substitutes one command-line token (§5.2, §5.3): a plain substitution never splits; a
    /// <c>$/</c> reference is split at whitespace, and a token that is only an empty <c>$/</c>
    /// reference disappears.
    /// </summary>
    public static List<string>? ExpandToken(string text, Lookup lookup, out string? error)
    {
        error = null;
        var words = new List<string>();
        if (text.IndexOf('$') < 0)
        {
            words.Add(text);
            return words;
        }
        var current = new StringBuilder();
        var hasCurrent = false;
        var usedSplit = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$')
            {
                current.Append(c);
                hasCurrent = true;
                i++;
                continue;
            }
            i++;
            if (i < text.Length && text[i] == '$')
            {
                current.Append('$');
                hasCurrent = true;
                i++;
                continue;
            }
            var split = false;
            if (i < text.Length && text[i] == '/') { split = true; i++; }
            var value = ReadReference(text, ref i, lookup, out error);
            if (error != null) return null;
            if (!split)
            {
                current.Append(value);
                hasCurrent = true;
                continue;
            }
            usedSplit = true;
            foreach (var ch in value!)
            {
                if (Lexical.IsSpace(ch))
                {
                    if (hasCurrent)
                    {
                        words.Add(current.ToString());
                        current.Clear();
                        hasCurrent = false;
                    }
                }
                else
                {
                    current.Append(ch);
                    hasCurrent = true;
                }
            }
        }
        if (hasCurrent || !usedSplit) words.Add(current.ToString());
        return words;
    }

    /// <summary>Reads the reference after <c>$</c> (or <c>$/</c>) and returns its value.</summary>
    private static string? ReadReference(string text, ref int i, Lookup lookup, out string? error)
    {
        error = null;
        if (i >= text.Length) { error = BadName; return null; }
        if (text[i] != '{')
        {
            var name = ReadName(text, ref i);
            if (name.Length == 0) { error = BadName; return null; }
            return Resolve(name, Form.Plain, "", lookup, out error);
        }
        i++;
        var braced = ReadName(text, ref i);
        if (braced.Length == 0) { error = BadName; return null; }
        if (i >= text.Length) { error = Unmatched; return null; }
        Form form;
        switch (text[i])
        {
            case '}':
                i++;
                return Resolve(braced, Form.Plain, "", lookup, out error);
            case ':':
                i++;
                if (i >= text.Length) { error = Unmatched; return null; }
                if (text[i] == '-') form = Form.DefaultIfEmpty;
                else if (text[i] == '+') form = Form.AltIfNonEmpty;
                else { error = BadSyntax; return null; }
                i++;
                break;
            case '-':
                form = Form.DefaultIfUnset;
                i++;
                break;
            case '+':
                form = Form.AltIfSet;
                i++;
                break;
            default:
                error = Unmatched;
                return null;
        }
        var close = text.IndexOf('}', i);
        if (close < 0) { error = Unmatched; return null; }
        var word = text[i..close];
        i = close + 1;
        return Resolve(braced, form, word, lookup, out error);
    }

    private enum Form { Plain, DefaultIfEmpty, DefaultIfUnset, AltIfNonEmpty, AltIfSet }

    private static string? Resolve(string name, Form form, string word, Lookup lookup, out string? error)
    {
        error = null;
        if (char.IsAsciiDigit(name[0]) && name != "1") { error = OnlyOneArgument; return null; }
        var value = lookup(name);
        switch (form)
        {
            case Form.Plain:
                if (value == null && name == "1") { error = MissingArgument; return null; }
                return value ?? "";
            case Form.DefaultIfEmpty: return string.IsNullOrEmpty(value) ? word : value;
            case Form.DefaultIfUnset: return value ?? word;
            case Form.AltIfNonEmpty: return string.IsNullOrEmpty(value) ? "" : word;
            default: return value != null ? word : "";
        }
    }

    /// <summary>A run of digits, or a name not starting with a digit, '-' or '.' (§5.1).</summary>
    private static string ReadName(string text, ref int i)
    {
        var start = i;
        if (i >= text.Length) return "";
        if (char.IsAsciiDigit(text[i]))
        {
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            return text[start..i];
        }
        if (text[i] != '_' && !Lexical.IsWordChar(text[i])) return "";
        while (i < text.Length && (text[i] == '_' || Lexical.IsWordChar(text[i]))) i++;
        return text[start..i];
    }
}
