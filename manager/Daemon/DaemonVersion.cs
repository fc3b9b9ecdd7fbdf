namespace Tinyinit.Daemon;

internal static class DaemonVersion
{
    public const string Text = "0.1.0";
}
