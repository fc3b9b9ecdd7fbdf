using Tinyinit.Loader;
using Tinyinit.Protocol;

namespace Tinyinit.Ctl.Cli;

/// <summary>The <c>--version</c> text of tinyctl under the name it was invoked as.</summary>
internal static class VersionText
{
    public static string For(string program) => ReleaseVersion.Text(program, Personality.ForProgram(program).IsReference);
}
