namespace Tinyinit.Protocol.InitLink;

/// <summary>How tinyinit hands the link (and the state hand-off descriptor) to the manager it starts.</summary>
public static class InitLinkEnvironment
{
    /// <summary>Names the manager's descriptor of the link socket pair; always <see cref="LinkFd"/>.</summary>
    public const string LinkFdVariable = "TINYINIT_LINK_FD";

    /// <summary>The manager's end of the AF_UNIX SOCK_SEQPACKET link.</summary>
    public const int LinkFd = 3;

    /// <summary>"1" when tinyinit was booted by a kernel: the manager's arguments came from the kernel command line.</summary>
    public const string KernelArgsVariable = "TINYINIT_KERNEL_ARGS";

    /// <summary>
    /// "1" when tinyinit runs as a user's supervisor (<c>tinyinit -u</c>): the manager is a user's
    /// service manager (it exits when every service has stopped, telling tinyinit to end), not the system's.
    /// </summary>
    public const string UserModeVariable = "TINYINIT_USER_MODE";

    /// <summary>Names the state hand-off descriptor; always <see cref="StateFd"/> (see README.md, "Manager restart").</summary>
    public const string StateFdVariable = "TINYINIT_STATE_FD";

    /// <summary>A memfd that tinyinit keeps open across manager restarts; the manager owns its contents.</summary>
    public const int StateFd = 4;
}
