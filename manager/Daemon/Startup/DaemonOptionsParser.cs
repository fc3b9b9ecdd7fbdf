using Tinyinit.Daemon.Logging;
using Tinyinit.Loader;

namespace Tinyinit.Daemon.Startup;

/// <summary>
/// Parses the reference daemon's options (ctl.md §11) with its exact error texts, and the
/// kernel-argument mode of semantics.md §17.8 (unknown words from the kernel command line are
/// ignored, except <c>single</c>, until <c>-m</c>/<c>-o</c> restores normal processing).
/// </summary>
internal static class DaemonOptionsParser
{
    /// <param name="program">The name invoked as: <c>dinit</c> selects the reference's defaults and message prefix.</param>
    /// <returns>The options, or null with <paramref name="error"/> set (exit status 1).</returns>
    public static DaemonOptions? Parse(IReadOnlyList<string> args, bool kernelArgumentMode, out string? error, string program = "tinyinitd")
    {
        var options = new DaemonOptions { Program = program, Personality = Personality.ForProgram(program), Arguments = [.. args] };
        error = null;
        // A kernel command-line word TINYINIT_BOOT_FAILURE=ACTION arrives as this variable; an invalid one is ignored.
        if (BootFailureActions.TryParse(Environment.GetEnvironmentVariable(BootFailureActions.Variable), out var fromEnvironment))
            options.BootFailure = fromEnvironment;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Length == 0)
            {
                error = $"{program}: error: empty command-line argument";
                return null;
            }
            if (arg[0] != '-')
            {
                if (kernelArgumentMode)
                {
                    if (arg == "single") options.Services.Add(arg);
                    continue;
                }
                if (!ServiceName.IsValid(arg))
                {
                    error = $"{program}: error: invalid service name '{arg}'.";
                    return null;
                }
                options.Services.Add(arg);
                continue;
            }
            string? value;
            switch (arg)
            {
                case "--help": options.ShowHelp = true; break;
                case "--version": options.ShowVersion = true; break;
                case "-s" or "--system": options.SystemMode = true; break;
                case "-u" or "--user": options.SystemMode = false; break;
                case "-m" or "--system-mgr": options.SystemManager = true; kernelArgumentMode = false; break;
                case "-o" or "--container": options.SystemManager = false; kernelArgumentMode = false; break;
                case "-r" or "--auto-recovery": options.AutoRecovery = true; break;
                case "-q" or "--quiet": options.Quiet = true; options.ConsoleLevel = Engine.LogLevel.None; break;
                case "-d" or "--services-dir":
                    if ((value = Value(program, args, ref i, "--services-dir", "-d", ref error)) == null) return null;
                    options.ServiceDirectories.Add(value);
                    break;
                case "-e" or "--env-file":
                    if ((value = Value(program, args, ref i, "--env-file", "-e", ref error)) == null) return null;
                    options.EnvironmentFile = value;
                    break;
                case "-p" or "--socket-path":
                    if ((value = Value(program, args, ref i, "--socket-path", "-p", ref error)) == null) return null;
                    options.SocketPath = value;
                    break;
                case "-l" or "--log-file":
                    if ((value = Value(program, args, ref i, "--log-file", "-l", ref error)) == null) return null;
                    options.LogFile = value;
                    break;
                case "-b" or "--cgroup-path":
                    if ((value = Value(program, args, ref i, "--cgroup-path", "-b", ref error)) == null) return null;
                    options.CgroupPath = value;
                    break;
                case "-t" or "--service":
                    if ((value = Value(program, args, ref i, "--service", "-t", ref error)) == null) return null;
                    options.Services.Add(value); // as the reference: checked when loaded (ServiceLoader)
                    break;
                case "-F" or "--ready-fd":
                    if ((value = Value(program, args, ref i, "--ready-fd", "-F", ref error)) == null) return null;
                    if (!int.TryParse(value, out var fd) || fd < 0)
                    {
                        error = $"{program}: '--ready-fd' (-F) requires a numerical argument";
                        return null;
                    }
                    if (fd == 0 || Native.Libc.fcntl(fd, Native.Libc.F_GETFD, 0) < 0)
                    {
                        error = $"{program}: '--ready-fd' (-F) requires an open file descriptor";
                        return null;
                    }
                    options.ReadyFd = fd;
                    break;
                case "--socket-group":
                    if ((value = LongValue(program, args, ref i, arg, ref error)) == null) return null;
                    if (ResolveGroup(value) is not { } gid)
                    {
                        error = $"{program}: '--socket-group': no such group '{value}'";
                        return null;
                    }
                    options.SocketGroup = (gid, value);
                    break;
                case "--connections-per-uid":
                    if ((value = LongValue(program, args, ref i, arg, ref error)) == null) return null;
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cap) || cap < 1)
                    {
                        error = $"{program}: '--connections-per-uid' requires a positive number";
                        return null;
                    }
                    options.ConnectionsPerUid = cap;
                    break;
                case "--restore-fd":
                    // Hidden: only a manager handing over to itself passes it (not in --help).
                    if (i + 1 >= args.Count || !int.TryParse(args[i + 1], out var restoreFd) || restoreFd < 0)
                    {
                        error = $"{program}: '--restore-fd' requires a numerical argument";
                        return null;
                    }
                    i++;
                    options.RestoreFd = restoreFd;
                    break;
                case "--boot-failure":
                    if (i + 1 >= args.Count || !BootFailureActions.TryParse(args[i + 1], out var action))
                    {
                        error = $"{program}: '--boot-failure' accepts only arguments: {BootFailureActions.Names}";
                        return null;
                    }
                    i++;
                    options.BootFailure = action;
                    break;
                case "--console-level" or "--log-level":
                    if (i + 1 >= args.Count || args[i + 1].Length == 0)
                    {
                        error = $"{program}: '{arg}' requires an argument";
                        return null;
                    }
                    if (!LogLevelNames.TryParse(args[++i], out var level))
                    {
                        error = $"{program}: '{arg}' accepts only arguments: 'none', 'error', 'warn', 'info', 'debug'";
                        return null;
                    }
                    if (arg == "--console-level") options.ConsoleLevel = level; else options.LogLevel = level;
                    break;
                default:
                    if (kernelArgumentMode) continue;
                    error = $"{program}: unrecognized option: {arg}";
                    return null;
            }
        }
        return options;
    }

    private static string? LongValue(string program, IReadOnlyList<string> args, ref int i, string name, ref string? error)
    {
        if (i + 1 >= args.Count || args[i + 1].Length == 0)
        {
            error = $"{program}: '{name}' requires an argument";
            return null;
        }
        return args[++i];
    }

    /// <summary>A group name, or a number (a gid need not be in the group database).</summary>
    private static uint? ResolveGroup(string value) =>
        uint.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var gid)
            ? gid
            : SystemUserDatabase.Instance.GroupByName(value) is { } named ? (uint)named : null;

    private static string? Value(string program, IReadOnlyList<string> args, ref int i, string longName, string shortName, ref string? error)
    {
        if (i + 1 >= args.Count || args[i + 1].Length == 0)
        {
            error = $"{program}: '{longName}' ({shortName}) requires an argument";
            return null;
        }
        return args[++i];
    }

    public static string HelpText(string program) => HelpTemplate.Replace("%P%", program).Replace("\r\n", "\n");

    private const string HelpTemplate =
        """
        %P%: init/service manager daemon
         --help                       display (this) help
         --version                    display version
         --env-file <file>, -e <file>
                                      environment variable initialisation file
         --services-dir <dir>, -d <dir>
                                      set base directory for service description
                                      files, can be specified multiple times
         --system, -s                 run as the system service manager
         --system-mgr, -m             run as system manager (perform shutdown etc)
         --user, -u                   run as a user service manager
         --container, -o              run in container mode (do not manage system)
         --auto-recovery, -r          auto-run recovery service on system manager boot failure
         --boot-failure <action>      on boot failure: halt (default), poweroff, reboot,
                                      recovery (start the recovery service) or continue
         --socket-path <path>, -p <path>
                                      path to control socket
         --socket-group <group>       let this group's members make read-only queries
                                      (list, status) on the system control socket
         --connections-per-uid <n>    control connections one user may hold (default 128)
         --ready-fd <fd>, -F <fd>
                                      file descriptor to report readiness
         --cgroup-path <path>, -b <path>
                                      cgroup base path (for resolving relative paths)
         --log-file <file>, -l <file> log to the specified file
         --quiet, -q                  disable output to standard output
         <service-name>, --service <service-name>, -t <service-name>
                                      start service with name <service-name>

        """;
}
