namespace Tinyinit.Daemon;

/// <summary>How tinyinit tells the manager about the init↔manager link.</summary>
internal static class LinkEnvironment
{
    /// <summary>Descriptor number of the manager's end of the link socket pair.</summary>
    public const string FdVariable = "TINYINIT_LINK_FD";
    /// <summary>Set to 1 by tinyinit when it is PID 1 booted by a kernel (argv came from the kernel command line).</summary>
    public const string KernelArgsVariable = "TINYINIT_KERNEL_ARGS";

    public static int LinkFd() =>
        int.TryParse(Environment.GetEnvironmentVariable(FdVariable), out var fd) && fd >= 0 ? fd : -1;
}
