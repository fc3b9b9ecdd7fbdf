namespace Tinyinit.Loader;

/// <summary>Value types of service-files.md §4 (numbers, times, octal masks, users, signals).</summary>
internal static class ValueTypes
{
    public const string BadNumber = "specified value contains invalid numeric characters or is outside allowed range.";
    public const string BadOctal = "badly-formed or out-of-range numeric value";

    /// <summary>
    /// strtoull/strtoll with base auto-detection (<c>0x</c> hex, leading <c>0</c> octal); the
    /// whole text must be consumed. Returns false on junk or overflow of 64 bits.
    /// </summary>
    public static bool TryParseInteger(string text, bool allowSign, out bool negative, out ulong magnitude)
    {
        negative = false;
        magnitude = 0;
        var i = 0;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            negative = text[i] == '-';
            if (negative && !allowSign) return false;
            i++;
        }
        var radix = 10u;
        if (i + 1 < text.Length && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
        {
            radix = 16;
            i += 2;
        }
        else if (i < text.Length && text[i] == '0' && i + 1 < text.Length)
        {
            radix = 8;
            i++;
        }
        if (i >= text.Length) return false;
        for (; i < text.Length; i++)
        {
            var digit = DigitValue(text[i]);
            if (digit >= radix) return false;
            if (magnitude > (ulong.MaxValue - digit) / radix) return false;
            magnitude = magnitude * radix + digit;
        }
        return true;
    }

    private static uint DigitValue(char c) =>
        c >= '0' && c <= '9' ? (uint)(c - '0')
        : c >= 'a' && c <= 'f' ? (uint)(c - 'a' + 10)
        : c >= 'A' && c <= 'F' ? (uint)(c - 'A' + 10)
        : 99;

    /// <summary>Unsigned number (§4.3) not above <paramref name="max"/>.</summary>
    public static bool TryParseUnsigned(string text, ulong max, out ulong value)
    {
        value = 0;
        if (!TryParseInteger(text, false, out _, out var m) || m > max) return false;
        value = m;
        return true;
    }

    /// <summary>Signed number (§4.4) within [min, max].</summary>
    public static bool TryParseSigned(string text, long min, long max, out long value)
    {
        value = 0;
        if (!TryParseInteger(text, true, out var negative, out var m)) return false;
        if (!negative && m > long.MaxValue) return false;
        if (negative && m > (ulong)long.MaxValue + 1) return false;
        value = negative ? (long)(0 - m) : (long)m;
        return value >= min && value <= max;
    }

    /// <summary>
    /// Decimal seconds with <c>.</c> or <c>,</c> separator (§4.2); digits past the 9th fraction
    /// digit are ignored. Error messages: <c>bad value for S</c>, <c>too-large value for S</c>.
    /// </summary>
    public static TimeSpan? ParseTime(string text, string setting, out string? error)
    {
        error = null;
        long seconds = 0;
        var i = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.' || c == ',') { i++; break; }
            if (c < '0' || c > '9') { error = $"bad value for {setting}"; return null; }
            if (seconds >= long.MaxValue / 10) { error = $"too-large value for {setting}"; return null; }
            seconds = seconds * 10 + (c - '0');
        }
        long nanos = 0;
        var fractionDigits = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '0' || c > '9') { error = $"bad value for {setting}"; return null; }
            if (fractionDigits < 9) { nanos = nanos * 10 + (c - '0'); fractionDigits++; }
        }
        for (; fractionDigits < 9; fractionDigits++) nanos *= 10;
        // TimeSpan holds about 29,000 years: longer times are, in practice, unlimited.
        if (seconds > (long)TimeSpan.MaxValue.TotalSeconds - 1) return TimeSpan.MaxValue;
        return TimeSpan.FromSeconds(seconds) + TimeSpan.FromTicks(nanos / 100);
    }

    /// <summary>Octal permission mask (§4.5): base 8, whole text, a leading '-' accepted.</summary>
    public static bool TryParseOctal(string text, out int mode)
    {
        mode = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+')) { negative = text[i] == '-'; i++; }
        if (i >= text.Length) return false;
        long value = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '0' || c > '7') return false;
            value = value * 8 + (c - '0');
            if (value > int.MaxValue) return false;
        }
        mode = (int)(negative ? -value : value);
        return true;
    }

    /// <summary>
    /// A user by number or name (§4.5). Errors carry the setting name, except the reference quirk
    /// for numbers too large even for 64 bits (no prefix).
    /// </summary>
    public static UserSpec? ParseUser(string text, string setting, IUserDatabase users, out string? error)
    {
        error = null;
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-' || text[0] == '+'))
        {
            if (!TryParseInteger(text, true, out var negative, out var m))
            {
                var overflow = text.Length > 0 && text.All(char.IsAsciiDigit);
                error = overflow
                    ? "specified user id contains invalid numeric characters or is outside allowed range."
                    : $"{setting}: specified user id contains invalid numeric characters or is outside allowed range.";
                return null;
            }
            if (negative || m > uint.MaxValue - 1)
            {
                error = $"{setting}: specified user id contains invalid numeric characters or is outside allowed range.";
                return null;
            }
            return new UserSpec(text, (int)(uint)m, null, false);
        }
        var entry = users.UserByName(text);
        if (entry == null)
        {
            error = $"{setting}: specified user \"{text}\" does not exist in system database.";
            return null;
        }
        return new UserSpec(text, entry.Uid, entry.Gid, true);
    }

    public static GroupSpec? ParseGroup(string text, string setting, IUserDatabase users, out string? error)
    {
        error = null;
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-' || text[0] == '+'))
        {
            if (!TryParseInteger(text, true, out var negative, out var m) || negative || m > uint.MaxValue - 1)
            {
                error = $"{setting}: specified group id contains invalid numeric characters or is outside allowed range.";
                return null;
            }
            return new GroupSpec(text, (int)(uint)m);
        }
        var gid = users.GroupByName(text);
        if (gid == null)
        {
            error = $"{setting}: specified group \"{text}\" does not exist in system database.";
            return null;
        }
        return new GroupSpec(text, gid.Value);
    }

    /// <summary>Signal names of §4.5 (Linux numbers); <c>none</c>/<c>NONE</c> is 0.</summary>
    public static int? ParseSignal(string text) => text switch
    {
        "HUP" => 1, "INT" => 2, "QUIT" => 3, "KILL" => 9, "USR1" => 10, "USR2" => 12,
        "TERM" => 15, "CONT" => 18, "STOP" => 19, "none" or "NONE" => 0,
        _ => null,
    };

    /// <summary>
    /// Resource limit (§6.24): <c>N</c>, <c>N:M</c>, <c>N:</c>, <c>:M</c>, <c>-</c>. Reference quirk
    /// kept: nothing after the hard-limit number is checked (<c>1:2:3</c> is 1:2).
    /// </summary>
    public static ResourceLimit? ParseLimit(string text, string setting, out string? error)
    {
        error = null;
        if (text.Length == 0) { error = $"{setting}: bad value."; return null; }
        var i = 0;
        ulong? soft = null, hard = null;
        var softGiven = false;
        if (text[i] == '-') { soft = ulong.MaxValue; softGiven = true; i++; }
        else if (text[i] != ':')
        {
            if (!ReadNumber(text, ref i, out var v, out var tooLarge))
            {
                error = tooLarge ? $"{setting}: too-large value." : $"{setting}: bad value.";
                return null;
            }
            soft = v;
            softGiven = true;
        }
        if (i == text.Length) return new ResourceLimit(soft, soft);
        if (text[i] != ':') { error = $"{setting}: bad value."; return null; }
        i++;
        if (i == text.Length) return new ResourceLimit(soft, null);
        if (text[i] == '-') hard = ulong.MaxValue;
        else
        {
            if (!ReadNumber(text, ref i, out var v, out var tooLarge))
            {
                error = tooLarge ? $"{setting}: too-large value." : $"{setting}: bad value.";
                return null;
            }
            hard = v;
        }
        return new ResourceLimit(softGiven ? soft : null, hard);
    }

    /// <summary>A leading unsigned number (base auto-detect) ending at the first non-digit.</summary>
    private static bool ReadNumber(string text, ref int i, out ulong value, out bool tooLarge)
    {
        value = 0;
        tooLarge = false;
        var radix = 10u;
        if (i + 1 < text.Length && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) { radix = 16; i += 2; }
        else if (i < text.Length && text[i] == '0') radix = 8;
        var start = i;
        while (i < text.Length && DigitValue(text[i]) < radix)
        {
            var d = DigitValue(text[i]);
            if (value > (ulong.MaxValue - d) / radix) tooLarge = true;
            else value = value * radix + d;
            i++;
        }
        return i > start && !tooLarge;
    }
}
