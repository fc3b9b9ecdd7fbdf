namespace Tinyinit.Protocol;

/// <summary>
/// tinyinit's release and the reference release it is compatible with. The three binaries
/// print <c>--version</c> through <see cref="Text"/>, so they read alike.
/// </summary>
public static class ReleaseVersion
{
    public const string Tinyinit = "0.1.0";

    /// <summary>The Dinit release whose behaviour tinyinit follows (control protocol version 7).</summary>
    public const string Dinit = "0.23.0";

    /// <summary>
    /// The <c>--version</c> text of <paramref name="program"/>: <c>tinyctl (tinyinit) 0.1.0</c>.
    /// Under one of the reference's names the reference's own line comes first, because scripts
    /// written for Dinit read the version from it.
    /// </summary>
    public static string Text(string program, bool underReferenceName)
    {
        var ours = $"{program} (tinyinit) {Tinyinit}\n";
        return underReferenceName ? $"Dinit version {Dinit}.\n{ours}" : ours;
    }
}
