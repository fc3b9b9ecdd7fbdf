using System.Globalization;

namespace Tinyinit.Daemon.Core;

/// <summary>The contents of a bgprocess PID file, read the way strtol(…, 0) reads them (semantics.md §9.4).</summary>
internal static class PidFileText
{
    /// <returns>The pid, or 0 when the text is not a valid positive number.</returns>
    public static int Parse(string text)
    {
        var s = text.Trim();
        var style = NumberStyles.None;
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
            style = NumberStyles.AllowHexSpecifier;
        }
        else if (s.Length > 1 && s[0] == '0')
        {
            return ParseOctal(s[1..]);
        }
        return int.TryParse(s, style, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : 0;
    }

    private static int ParseOctal(string digits)
    {
        long value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7') return 0;
            value = value * 8 + (c - '0');
            if (value > int.MaxValue) return 0;
        }
        return (int)value;
    }
}
