using System.Text;

namespace Tinyinit.Loader;

/// <summary>Service name rules (service-files.md §1.2): <c>base</c> or <c>base@argument</c>.</summary>
public static class ServiceName
{
    public const int MaxLength = 65535;

    /// <summary>
    /// The three rules the reference enforces (non-empty, no leading '.' or '@'), plus ours: no
    /// '/' in the base name, which is a file name looked up in the service directories (a '/'
    /// would reach files outside them), and no NUL anywhere (it would cut the name short).
    /// </summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || name[0] == '.' || name[0] == '@' || name.Contains('\0')) return false;
        var at = name.IndexOf('@');
        return !(at < 0 ? name : name[..at]).Contains('/');
    }

    public static bool IsTooLong(string name) => Encoding.UTF8.GetByteCount(name) > MaxLength;

    /// <summary>Splits at the first '@'; the argument is null when there is no '@'.</summary>
    public static (string BaseName, string? Argument) Split(string name)
    {
        var at = name.IndexOf('@');
        return at < 0 ? (name, null) : (name[..at], name[(at + 1)..]);
    }
}
