namespace Tinyinit.Loader.Check;

/// <summary>
/// The parsed command line of <c>tinyctl check</c> / <c>dinit-check</c> (ctl.md §12).
/// </summary>
public sealed class CheckOptions
{
    public List<string> ServiceDirectories { get; } = [];
    public bool Online { get; set; }
    /// <summary>Null: decided by the real uid (root → system mode).</summary>
    public bool? SystemMode { get; set; }
    public string? SocketPath { get; set; }
    public string? EnvFile { get; set; }
    public bool Help { get; set; }
    public List<string> Services { get; } = [];

    /// <summary>
    /// A directory searched before the others (tinyctl's own: the current directory when it
    /// holds a named service), or null.
    /// </summary>
    public string? SearchFirst { get; set; }

    /// <summary>Parses <paramref name="args"/>; returns null after writing an error to <paramref name="stderr"/>.</summary>
    public static CheckOptions? Parse(IReadOnlyList<string> args, TextWriter stderr, string programName)
    {
        var options = new CheckOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value(string message)
            {
                if (i + 1 >= args.Count || args[i + 1].Length == 0)
                {
                    stderr.WriteLine($"{programName}: {message}");
                    return null;
                }
                return args[++i];
            }
            switch (arg)
            {
                case "-d" or "--services-dir":
                    var dir = Value("'--services-dir' (-d) requires an argument");
                    if (dir == null) return null;
                    options.ServiceDirectories.Add(dir);
                    break;
                case "-n" or "--online":
                    options.Online = true;
                    break;
                case "-s" or "--system":
                    options.SystemMode = true;
                    break;
                case "-u" or "--user":
                    options.SystemMode = false;
                    break;
                case "-p" or "--socket-path":
                    var socket = Value("--socket-path/-p should be followed by socket path");
                    if (socket == null) return null;
                    options.SocketPath = socket;
                    break;
                case "-e" or "--env-file":
                    var env = Value("--env-file/-e should be followed by environment file path");
                    if (env == null) return null;
                    options.EnvFile = env;
                    break;
                case "--help":
                    options.Help = true;
                    return options;
                default:
                    if (arg.StartsWith('-'))
                    {
                        stderr.WriteLine($"{programName}: unrecognized option: '{arg}' (use '--help' for help)");
                        return null;
                    }
                    options.Services.Add(arg);
                    break;
            }
        }
        return options;
    }

    public static string HelpText(string programName) => $"""
        {programName}: check {(Personality.ForProgram(programName).IsReference ? "dinit " : "")}service descriptions
         --help                       display help
         --services-dir <dir>, -d <dir>
                                      set base directory for service description
                                      files, can be specified multiple times
         --online, -n                 use service dirs and environment from running
                                      dinit instance
         --socket-path <path>, -p <path>
                                      use specified socket to connect to daemon (online
                                      mode)
         --env-file, -e <file>        read environment from specified file
         --system, -s                 use defaults for system manager mode
         --user, -u                   use defaults for user mode
         <service-name>               check service with name <service-name>

        """;
}
