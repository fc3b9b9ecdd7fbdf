using Tinyinit.Daemon.Startup;

namespace Tinyinit.Daemon;

/// <summary>Placeholder until the event-loop glue lands (issue 2).</summary>
internal static class Daemon
{
    public static int Run(DaemonOptions options, bool underInit) => 1;
}
