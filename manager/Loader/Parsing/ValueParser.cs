using System.Text;

namespace Tinyinit.Loader;

/// <summary>
/// Splits a setting value into tokens (service-files.md §3.4): unquoted whitespace separates
/// tokens, <c>"…"</c> quotes, <c>\</c> escapes, <c>#</c> after whitespace starts a comment that
/// ends at the end of the line or at a continuation's embedded newline.
/// </summary>
internal static class ValueParser
{
    public const string Unterminated = "unterminated quoted string";
    public const string Hashmark = "hashmark (`#') comment must be separated from setting value by whitespace";

    /// <param name="line">The logical line.</param>
    /// <param name="start">Index of the first value character (leading whitespace already skipped).</param>
    /// <param name="error">The error message, when the value is malformed.</param>
    public static List<string> Tokenize(string line, int start, out string? error)
    {
        error = null;
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        var i = start;
        if (i < line.Length && line[i] == '#')
        {
            error = Hashmark;
            return tokens;
        }
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '"')
            {
                inToken = true;
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = Unterminated;
                        return tokens;
                    }
                    var q = line[i];
                    if (q == '"') { i++; break; }
                    if (q == '\\' && i + 1 < line.Length) { current.Append(line[i + 1]); i += 2; continue; }
                    current.Append(q);
                    i++;
                }
            }
            else if (c == '\\')
            {
                inToken = true;
                if (i + 1 < line.Length) current.Append(line[i + 1]);
                i += 2;
            }
            else if (Lexical.IsSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
                i = Lexical.SkipSpace(line, i);
                while (i < line.Length && line[i] == '#')
                {
                    // A comment: up to the embedded newline of a continuation, or the end.
                    var nl = line.IndexOf('\n', i);
                    i = nl < 0 ? line.Length : Lexical.SkipSpace(line, nl);
                }
            }
            else if (c == '#')
            {
                error = Hashmark;
                return tokens;
            }
            else
            {
                inToken = true;
                current.Append(c);
                i++;
            }
        }
        if (inToken) tokens.Add(current.ToString());
        return tokens;
    }
}
