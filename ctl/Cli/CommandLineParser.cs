namespace Tinyinit.Ctl.Cli;

/// <summary>
/// Scans the command line left to right exactly as ctl.md §1 describes: options anywhere,
/// command options only after their command word, the first error or --help/--version wins.
/// </summary>
internal static class CommandLineParser
{
    public static ParseOutcome Parse(string[] args, string program)
    {
        if (args.Length == 0) return new ParseOutcome.Exit(UsageText.For(program), true, 0);
        var options = new CtlOptions();
        string? command = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith('-') && arg.Length > 0)
            {
                var outcome = Option(args, ref i, options, command, program);
                if (outcome != null) return outcome;
                continue;
            }
            if (arg.Length == 0) return Error(program, "Invalid empty argument");
            if (command != null) { options.Arguments.Add(arg); continue; }
            if (CommandTable.IsDelegating(arg))
                return new ParseOutcome.Delegate(arg, [.. args[..i], .. args[(i + 1)..]]);
            if (CommandTable.ArityOf(arg) == null)
                return Error(program, $"unrecognized command: {arg} (use --help for help)");
            command = arg;
        }
        if (command == null) return InvalidCommandLine(program);
        options.Command = command;
        return CheckArguments(options, program) ?? CheckOffline(options, program) ?? new ParseOutcome.Run(options);
    }

    private static ParseOutcome? Option(string[] args, ref int i, CtlOptions o, string? command, string program)
    {
        switch (args[i])
        {
            case "--help": return new ParseOutcome.Exit(UsageText.For(program), true, 0);
            case "--version": return new ParseOutcome.Exit(VersionText.For(program), true, 0);
            case "-s" or "--system": o.SystemMode = true; return null;
            case "-u" or "--user": o.SystemMode = false; return null;
            case "-p" or "--socket-path":
                if (i + 1 >= args.Length || args[i + 1].Length == 0) return Error(program, "--socket-path/-p should be followed by socket path");
                o.SocketPath = args[++i];
                return null;
            case "--use-passed-cfd": o.UsePassedControlFd = true; return null;
            case "--quiet": o.Quiet = true; return null;
            case "-o" or "--offline": o.Offline = true; return null;
            case "-d" or "--services-dir":
                if (i + 1 >= args.Length) return Error(program, "'--services-dir' (-d) requires an argument");
                o.ServiceDirectories.Add(args[++i]);
                return null;
            case "--no-wait": o.NoWait = true; return null;
            case "--pin": o.Pin = true; return null;
            case "--ignore-unstarted": o.IgnoreUnstarted = true; return null;
            case "--json": o.Json = true; return null;
            case "--force" or "-f":
                if (command is not ("stop" or "restart")) return InvalidCommandLine(program);
                o.Force = true;
                return null;
            case "--from":
                if (command is not ("enable" or "disable")) return InvalidCommandLine(program);
                if (i + 1 >= args.Length || args[i + 1].Length == 0) return Error(program, "--from should be followed by a service name");
                o.From = args[++i];
                return null;
            case "--exec":
                if (command is not ("restart-manager" or "reexec-init")) return InvalidCommandLine(program);
                if (i + 1 >= args.Length || args[i + 1].Length == 0) return Error(program, "--exec should be followed by an executable path");
                o.ExecPath = args[++i];
                return null;
            case "--clear":
                if (command != "catlog") return InvalidCommandLine(program);
                o.Clear = true;
                return null;
            case "-l" or "--list":
                if (command != "signal") return InvalidCommandLine(program);
                o.ListSignals = true;
                return null;
            default:
                return Error(program, $"unrecognized/invalid option: {args[i]} (use --help for help)");
        }
    }

    private static ParseOutcome? CheckArguments(CtlOptions o, string program)
    {
        var count = o.Arguments.Count;
        var valid = CommandTable.ArityOf(o.Command) switch
        {
            CommandTable.Arity.One or CommandTable.Arity.OneWithFrom => count == 1,
            CommandTable.Arity.None => count == 0,
            CommandTable.Arity.Three => count == 3 && CommandTable.DependencyTypeOf(o.Arguments[0]) != null,
            CommandTable.Arity.OneOrMore => count >= 1,
            _ => true,
        };
        if (!valid) return InvalidCommandLine(program);
        if (o.Command != "signal") return null;
        if (o.ListSignals) return count == 0 ? null : InvalidCommandLine(program);
        return count switch
        {
            0 => Error(program, "signal number/name must be specified"),
            1 => Error(program, "service name must be specified"),
            2 => null,
            _ => InvalidCommandLine(program),
        };
    }

    private static ParseOutcome? CheckOffline(CtlOptions o, string program) =>
        o.Offline && o.Command is not ("enable" or "disable")
            ? Error(program, "offline mode (--offline/-o) not supported for this command")
            : null;

    private static ParseOutcome Error(string program, string message) =>
        new ParseOutcome.Exit($"{program}: {message}\n", false, 1);

    private static ParseOutcome InvalidCommandLine(string program) =>
        new ParseOutcome.Exit($"{program}: Invalid command line.\nTry '{program} --help' for more information.\n", false, 1);
}
