using System.Text;

namespace Tinyinit.Loader;

/// <summary>Service name rules (service-files.md §1.2): <c>base</c> or <c>base@argument</c>.</summary>
public static class ServiceName
{
    public const int MaxLength = 65535;

    /// <summary>The three rules the reference enforces: non-empty, no leading '.' or '@'.</summary>
    public static bool IsValid(string name) =>
        name.Length > 0 && name[0] != '.' && name[0] != '@';

    public static bool IsTooLong(string name) => Encoding.UTF8.GetByteCount(name) > MaxLength;

    /// <summary>Splits at the first '@'; the argument is null when there is no '@'.</summary>
    public static (string BaseName, string? Argument) Split(string name)
    {
        var at = name.IndexOf('@');
        return at < 0 ? (name, null) : (name[..at], name[(at + 1)..]);
    }
}
