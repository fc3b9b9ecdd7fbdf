namespace Tinyinit.Loader;

/// <summary>Character classes of the description syntax (service-files.md §3.1, §3.3, §5.1).</summary>
internal static class Lexical
{
    /// <summary>C-locale isspace: space, \t, \n, \v, \f, \r.</summary>
    public static bool IsSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r');

    public static int SkipSpace(string s, int i)
    {
        while (i < s.Length && IsSpace(s[i])) i++;
        return i;
    }

    private static bool IsAsciiPunctuation(char c) =>
        (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');

    private static bool IsControl(char c) => c < 0x20 || c == 0x7f;

    /// <summary>A character that may continue a setting name: '-', '.', '_' or a "word" character.</summary>
    public static bool IsNameChar(char c) =>
        c == '-' || c == '.' || c == '_' || IsWordChar(c);

    /// <summary>Not a control character, not ASCII punctuation, not whitespace (bytes ≥ 0x80 count).</summary>
    public static bool IsWordChar(char c) => !IsControl(c) && !IsAsciiPunctuation(c) && !IsSpace(c);

    /// <summary>Reads a setting/meta name at <paramref name="i"/>; empty when none may start there.</summary>
    public static string ReadName(string s, ref int i)
    {
        if (i >= s.Length) return "";
        var c = s[i];
        if (c == '-' || c == '.' || char.IsAsciiDigit(c) || !IsNameChar(c)) return "";
        var start = i;
        while (i < s.Length && IsNameChar(s[i])) i++;
        return s[start..i];
    }
}
