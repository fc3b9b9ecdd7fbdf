namespace Tinyinit.Ctl.Cli;

/// <summary>The <c>--version</c> line: the reference's wording under the dinit names, our own otherwise.</summary>
internal static class VersionText
{
    public const string Version = "0.1.0";

    public static string For(string program) => program is "dinitctl" or "dinit-monitor"
        ? $"Dinit version {Version}.\n"
        : $"tinyinit version {Version}.\n";
}
