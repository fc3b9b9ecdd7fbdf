using Tinyinit.Ctl.Cli;
using Tinyinit.Ctl.Client;
using Tinyinit.Ctl.Os;
using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Monitor;

/// <summary>
/// dinit-monitor / tinyctl monitor (ctl.md §13): runs a command whenever a watched service
/// changes state or a watched global variable changes. Best effort, like the reference.
/// </summary>
internal static class MonitorCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string program, Func<string, string?> environment)
    {
        var options = new MonitorOptions();
        if (args.Length == 0) { stdout.Write(Help(program)); return 1; }
        for (var i = 0; i < args.Length; i++)
        {
            var error = Option(args, ref i, options, out var exit, stdout, program);
            if (exit is { } code) return code;
            if (error != null) { stderr.Write($"{program}: {error}\n"); return 1; }
        }
        var validation = Validate(options);
        if (validation != null) { stderr.Write($"{program}: {validation}\n"); return 1; }
        try
        {
            return Watch(options, stdout, stderr, program, environment);
        }
        catch (CtlException e)
        {
            stderr.Write($"{program}: {e.Message}\n");
            return 1;
        }
    }

    private static string? Option(string[] args, ref int i, MonitorOptions o, out int? exit, TextWriter stdout, string program)
    {
        exit = null;
        var arg = args[i];
        var position = i;
        string? Next() => position + 1 >= args.Length ? null : args[++position];
        var error = Recognised(arg, o, ref exit, stdout, program, Next, out var recognised);
        i = position;
        if (recognised) return error;
        if (!arg.StartsWith('-')) o.Names.Add(arg);
        // Unknown options are silently ignored, as the reference does.
        return null;
    }

    private static string? Recognised(string arg, MonitorOptions o, ref int? exit, TextWriter stdout, string program, Func<string?> Next, out bool recognised)
    {
        recognised = true;
        switch (arg)
        {
            case "--help": stdout.Write(Help(program)); exit = 1; return null;
            case "--version": stdout.Write(VersionText.For(program)); exit = 0; return null;
            case "-e" or "--exit": o.ExitAfterFirst = true; return null;
            case "-E" or "--env": o.EnvironmentMode = true; return null;
            case "-i" or "--initial": o.Initial = true; return null;
            case "-s" or "--system": o.SystemMode = true; return null;
            case "-u" or "--user": o.SystemMode = false; return null;
            case "-c" or "--command":
                return (o.Command = Next()) == null ? "--command/-c should be followed by command" : null;
            case "-p" or "--socket-path":
                return (o.SocketPath = Next()) == null ? "--socket-path/-p should be followed by socket path" : null;
            case "--str-started": return (o.Started = Next()!) == null ? "--str-started should be followed by an argument" : null;
            case "--str-stopped": return (o.Stopped = Next()!) == null ? "--str-stopped should be followed by an argument" : null;
            case "--str-failed": return (o.Failed = Next()!) == null ? "--str-failed should be followed by an argument" : null;
            case "--str-set": return (o.Set = Next()!) == null ? "--str-set should be followed by an argument" : null;
            case "--str-unset": return (o.Unset = Next()!) == null ? "--str-unset should be followed by an argument" : null;
        }
        recognised = false;
        return null;
    }

    private static string? Validate(MonitorOptions o)
    {
        if (!o.EnvironmentMode && o.Names.Count == 0) return "specify at least one service name";
        if (o.Command == null) return "command must specified";
        if (NotificationCommand.Split(o.Command).Count == 0) return "specified command is empty";
        return null;
    }

    private static int Watch(MonitorOptions o, TextWriter stdout, TextWriter stderr, string program, Func<string, string?> environment)
    {
        var path = SocketLocator.Locate(o.SocketPath, o.SystemMode, environment, Loader.Personality.ForProgram(program))
            ?? throw new CtlException("cannot locate user home directory (set XDG_RUNTIME_DIR, HOME, check /etc/passwd file, or specify socket path via -p)");
        using var connection = ControlConnection.Connect(path, out var errno)
            ?? throw new CtlException($"connecting to socket {path}: {Native.Libc.StrError(errno)}");
        connection.Negotiate("server");
        var notifier = new Notifier(o, stdout, stderr, program);
        return o.EnvironmentMode ? WatchEnvironment(o, connection, notifier) : WatchServices(o, connection, notifier);
    }

    private static int WatchServices(MonitorOptions o, ControlConnection connection, Notifier notifier)
    {
        var names = new Dictionary<uint, string>();
        var initial = new List<(string Name, ServiceState State)>();
        foreach (var name in o.Names)
        {
            connection.Send(ControlRequests.LoadService(name));
            var reply = connection.ReadReply();
            if (reply[0] == (byte)ReplyCode.NoService) throw new CtlException($"cannot load service: {name}");
            if (reply[0] != (byte)ReplyCode.ServiceRecord) throw new CtlException("protocol error");
            var record = ControlReplies.ServiceRecord(reply);
            names[record.Handle] = name;
            initial.Add((name, record.State));
        }
        if (o.Initial)
        {
            foreach (var (name, state) in initial)
            {
                var text = state switch { ServiceState.Started => o.Started, ServiceState.Stopped => o.Stopped, _ => null };
                if (text != null && notifier.Notify(name, text, "")) return 0;
            }
        }
        while (true)
        {
            var packet = connection.ReadPacket() ?? throw new CtlException("connection closed by server");
            // Only the v1 event: the v5 packet is its duplicate (§7.2).
            if (packet[0] != (byte)InfoCode.ServiceEvent) continue;
            var e = ControlReplies.ServiceEvent(packet);
            if (!names.TryGetValue(e.Handle, out var watched)) continue;
            var text = e.Event switch
            {
                ServiceEventCode.Started => o.Started,
                ServiceEventCode.Stopped => o.Stopped,
                ServiceEventCode.FailedStart => o.Failed,
                _ => null,
            };
            if (text != null && notifier.Notify(watched, text, "")) return 0;
        }
    }

    private static int WatchEnvironment(MonitorOptions o, ControlConnection connection, Notifier notifier)
    {
        if (connection.ServerVersion < 5) throw new CtlException("server too old or protocol error");
        connection.Send(ControlRequests.ListenEnv());
        if (connection.ReadReply()[0] != (byte)ReplyCode.Ack) throw new CtlException("protocol error");
        bool Watched(string name) => o.Names.Count == 0 || o.Names.Contains(name);
        if (o.Initial)
        {
            connection.Send(ControlRequests.GetAllEnv());
            var reply = connection.ReadReply();
            if (reply[0] != (byte)ReplyCode.AllEnvironment) throw new CtlException("protocol error");
            foreach (var entry in ControlReplies.AllEnvironment(reply))
            {
                var e = new EnvironmentEventInfo(entry, false);
                if (Watched(e.Name) && notifier.Notify(e.Name, o.Set, e.Value)) return 0;
            }
        }
        var index = 0;
        while (true)
        {
            // Events that arrived while waiting for replies first, then new packets.
            EnvironmentEventInfo e;
            if (index < connection.EnvironmentEvents.Count) e = connection.EnvironmentEvents[index++];
            else
            {
                var packet = connection.ReadPacket() ?? throw new CtlException("connection closed by server");
                if (packet[0] != (byte)InfoCode.EnvironmentEvent) continue;
                e = ControlReplies.EnvironmentEvent(packet);
            }
            if (!Watched(e.Name)) continue;
            if (notifier.Notify(e.Name, e.IsSet ? o.Set : o.Unset, e.Value)) return 0;
        }
    }

    /// <summary>Runs the command; true when the monitor should now exit (-e).</summary>
    private sealed class Notifier(MonitorOptions o, TextWriter stdout, TextWriter stderr, string program)
    {
        private readonly List<string> _words = NotificationCommand.Split(o.Command!);

        public bool Notify(string name, string status, string value)
        {
            var argv = _words.Select(w => NotificationCommand.Substitute(w, name, status, value)).ToList();
            stdout.Flush();
            var exit = ChildProcess.Run(argv);
            if (exit < 0) stderr.Write($"{program}: exec: {Libc.StrError(-exit)}\n");
            else Report(exit);
            return o.ExitAfterFirst;
        }

        private void Report(int exitCode)
        {
            if (exitCode == 0) return;
            // The runtime reports death by signal N as 128 + N.
            stderr.Write(exitCode > 128 && exitCode < 128 + 65
                ? $"{program}: notification command terminated due to signal {exitCode - 128}\n"
                : $"{program}: notification command terminated with exit status {exitCode}\n");
        }
    }

    private static string Help(string program) =>
        $"{program}:   monitor {(Loader.Personality.ForProgram(program).IsReference ? "Dinit" : "tinyinit")} services\n\n" +
        "Usage:\n" +
        $"    {program} [options] <service-names|environ-names...>\n\n" +
        "Options:\n" +
        "  --help           : show this help\n" +
        "  -e, --exit       : exit after the first issued command\n" +
        "  -E, --env        : monitor activation environment changes\n" +
        "  -s, --system     : monitor system daemon (default if run as root)\n" +
        "  -u, --user       : monitor user daemon\n" +
        "  -i, --initial    : also execute command for initial service state\n" +
        "  --str-started <started-text>\n" +
        "                   : specify text describing status when service starts\n" +
        "  --str-stopped <stopped-text>\n" +
        "                   : specify text describing status when service stops\n" +
        "  --str-failed <failed-text>\n" +
        "                   : specify text describing status when service fails\n" +
        "  --socket-path <path>, -p <path>\n" +
        "                   : specify socket for communication with daemon\n" +
        "  -c, --command    : specify command to execute on service status change\n" +
        "                     (%n for service name, %s for status)\n";
}
