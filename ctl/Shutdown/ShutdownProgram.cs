using Tinyinit.Native;
using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Shutdown;

/// <summary>
/// shutdown / halt / poweroff / reboot / soft-reboot (ctl.md §14): asks the system daemon to
/// shut down with the chosen type. Deviations, both deliberate: DINIT_SOCKET_PATH is honoured
/// (so the program can be tested against a non-system daemon), and after the ACK the program
/// waits for the daemon to close the connection and exits 0 instead of sleeping forever.
/// <c>--system</c> (the kernel-level procedure of semantics.md §17.7) is done by
/// <see cref="SystemShutdown"/>; it needs no daemon.
/// </summary>
internal static class ShutdownProgram
{
    private const string Prefix = "shutdown";

    public static int Run(string[] args, string invokedAs, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var type = invokedAs switch { "reboot" => ShutdownType.Reboot, "soft-reboot" => ShutdownType.SoftReboot, _ => ShutdownType.PowerOff };
        var defaultType = type;
        bool system = false, usePassedFd = false;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "-r": type = ShutdownType.Reboot; break;
                case "-h": type = ShutdownType.Halt; break;
                case "-p": type = ShutdownType.PowerOff; break;
                case "-s": type = ShutdownType.SoftReboot; break;
                case "-k": type = ShutdownType.Kexec; break;
                case "--system": system = true; break;
                case "--use-passed-cfd": usePassedFd = true; break;
                case "--help":
                    stdout.Write(Help(invokedAs, defaultType));
                    return 1;
                default:
                    if (!arg.StartsWith('-'))
                    {
                        stdout.Write(Help(invokedAs, defaultType));
                        return 1;
                    }
                    stderr.Write($"Unrecognized command-line parameter: {arg}\n");
                    return 1;
            }
        }
        if (system)
        {
            // kill(-1) and reboot(2) belong to PID 1 (which execs this) or a child it runs: from
            // anywhere else they would take down a host that only meant to stop a container.
            if (Libc.getpid() != 1 && Libc.getppid() != 1)
            {
                stderr.Write($"{invokedAs}: --system may only be used by init (PID 1) or a process it runs directly\n");
                return 1;
            }
            return SystemShutdown.Run(type, stdout, stderr);
        }
        try
        {
            return AskDaemon(type, usePassedFd, stdout, environment);
        }
        catch (CtlException e)
        {
            stderr.Write($"{Prefix}: {e.Message}\n");
            return 1;
        }
    }

    private static int AskDaemon(ShutdownType type, bool usePassedFd, TextWriter stdout, Func<string, string?> environment)
    {
        using var connection = Connect(usePassedFd, environment);
        connection.Negotiate("server");
        stdout.Write("Issuing shutdown command...\n");
        stdout.Flush();
        connection.Send(ControlRequests.Shutdown(type));
        var reply = connection.ReadReplyOrNull();
        if (reply is null || reply[0] != (byte)ReplyCode.Ack) throw new CtlException("control socket protocol error");
        connection.DrainUntilClosed();
        return 0;
    }

    private static ControlConnection Connect(bool usePassedFd, Func<string, string?> environment)
    {
        if (usePassedFd && int.TryParse(environment("DINIT_CS_FD"), out var fd) && ControlConnection.FromDescriptor(fd) is { } passed)
            return passed;
        if (environment("DINIT_SOCKET_PATH") is { Length: > 0 } fromEnvironment)
            return ControlConnection.Connect(fromEnvironment, out var error) ?? throw new CtlException($"connect: {Native.Libc.StrError(error)}");
        // The shutdown names stand for the system's manager whichever names it runs under: a
        // machine that switched from Dinit with the drop-in names has its manager on Dinit's socket.
        var connection = ControlConnection.Connect(Loader.Personality.Tinyinit.SystemSocket, out var errno);
        if (connection == null && errno == Native.Libc.ENOENT)
            connection = ControlConnection.Connect(Loader.Personality.Dinit.SystemSocket, out _);
        return connection ?? throw new CtlException($"connect: {Native.Libc.StrError(errno)}");
    }

    private static string Help(string invokedAs, ShutdownType defaultType)
    {
        string Default(ShutdownType t) => t == defaultType ? " (default)" : "";
        return $"{invokedAs} :   shutdown the system\n" +
               "  --help           : show this help\n" +
               $"  -r               : reboot{Default(ShutdownType.Reboot)}.\n" +
               $"  -s               : soft-reboot (restart tinyinit with same boot-time arguments){Default(ShutdownType.SoftReboot)}.\n" +
               "  -h               : halt system.\n" +
               $"  -p               : power down{Default(ShutdownType.PowerOff)}.\n" +
               "  -k               : execute kernel loaded via kexec.\n" +
               "  --use-passed-cfd : use the socket file descriptor identified by the DINIT_CS_FD\n" +
               "                     environment variable to communicate with the init daemon.\n" +
               "  --system         : perform shutdown immediately, instead of issuing shutdown\n" +
               "                     command to the init program. Not recommended for normal use.\n";
    }
}
