using Tinyinit.Ctl.Check;
using Tinyinit.Ctl.Cli;
using Tinyinit.Ctl.Commands;
using Tinyinit.Ctl.Monitor;
using Tinyinit.Ctl.Output;
using Tinyinit.Ctl.Shutdown;

namespace Tinyinit.Ctl;

/// <summary>
/// One binary, several programs, chosen by the name it is invoked under (argv[0]) or by a
/// subcommand word: tinyctl/dinitctl (control), dinit-check / check, dinit-monitor / monitor,
/// shutdown/halt/poweroff/reboot/soft-reboot (ctl.md §14).
/// </summary>
internal static class Entry
{
    public static int Start(string[] args, string argv0) =>
        Run(args, Path.GetFileName(argv0), new FileDescriptorWriter(1), new FileDescriptorWriter(2), new FileDescriptorStream(1), Environment.GetEnvironmentVariable);

    public static int Run(string[] args, string invokedAs, TextWriter stdout, TextWriter stderr, Stream rawStdout, Func<string, string?> environment)
    {
        switch (invokedAs)
        {
            case "dinit-check": return CheckCommand.Run(args, stdout, stderr, "dinit-check");
            case "dinit-monitor": return MonitorCommand.Run(args, stdout, stderr, "dinit-monitor", environment);
            case "shutdown" or "halt" or "poweroff" or "reboot" or "soft-reboot":
                return ShutdownProgram.Run(args, invokedAs, stdout, stderr, environment);
        }
        var program = invokedAs == "dinitctl" ? "dinitctl" : "tinyctl";
        switch (CommandLineParser.Parse(args, program))
        {
            case ParseOutcome.Exit exit:
                (exit.ToStdout ? stdout : stderr).Write(exit.Text);
                return exit.Status;
            case ParseOutcome.Delegate d:
                return d.Word switch
                {
                    "check" => CheckCommand.Run(d.Arguments, stdout, stderr, program),
                    "monitor" => MonitorCommand.Run(d.Arguments, stdout, stderr, program, environment),
                    _ => ShutdownProgram.Run(d.Arguments, d.Word, stdout, stderr, environment),
                };
            case ParseOutcome.Run run:
                return CommandRunner.Run(new CtlContext(run.Options, stdout, stderr, program, environment), rawStdout);
            default:
                return 1;
        }
    }
}
