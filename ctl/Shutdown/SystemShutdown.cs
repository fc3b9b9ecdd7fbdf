using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Shutdown;

/// <summary>
/// <c>shutdown --system</c> (semantics.md §17.7): the kernel-level procedure run by PID 1 after
/// all services stopped. Not implemented in tinyctl yet: it refuses rather than half-doing a
/// procedure that signals every process on the machine.
/// </summary>
internal static class SystemShutdown
{
    public static int Run(ShutdownType type, TextWriter stdout, TextWriter stderr)
    {
        _ = type;
        _ = stdout;
        stderr.Write("shutdown: --system is not supported by this build of tinyctl\n");
        return 1;
    }
}
