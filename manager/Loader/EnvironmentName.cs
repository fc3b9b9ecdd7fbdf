namespace Tinyinit.Loader;

/// <summary>
/// Names a variable may have in the global environment and in environment files. Stricter
/// than the reference (which takes any bytes): a name with '=', whitespace, a control
/// character or NUL cannot be passed to a process as the name the user meant (the C
/// environment splits at the first '=' and ends at NUL), and a stray '\r' from a file edited
/// on Windows would otherwise become part of it silently.
/// </summary>
public static class EnvironmentName
{
    public const string Rule = "it must be non-empty, without '=', whitespace or control characters";

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty) return false;
        foreach (var c in name)
            if (c == '=' || c <= ' ' || c == '\u007f') return false;
        return true;
    }
}
