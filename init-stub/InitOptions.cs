namespace Tinyinit.Init;

/// <summary>What the command line asks of tinyinit.</summary>
internal enum InitAction { Run, Help, Version, UsageError }

/// <summary>
/// tinyinit's own options; every other argument goes to the manager unchanged, in order
/// (`tinyinit -d DIR -p SOCK boot` starts `tinyinitd -d DIR -p SOCK boot`). Booted by a kernel
/// the arguments are kernel command-line words and exiting would panic the kernel: then
/// --help, --version and mistakes in tinyinit's own options are dropped with a warning
/// (<see cref="Warnings"/>) and tinyinit runs.
/// `-u`/`--user` is both tinyinit's and the manager's: tinyinit becomes a user's supervisor
/// (<see cref="UserMode"/>) and the manager gets it too.
/// </summary>
internal sealed class InitOptions
{
    public const string ShutdownTimeoutVariable = "TINYINIT_SHUTDOWN_TIMEOUT";
    /// <summary>-u/--user: supervise a user's manager (see <see cref="UserMode"/>).</summary>
    public bool UserMode { get; private set; }

    public InitAction Action { get; private set; } = InitAction.Run;
    /// <summary>From --manager, or null (then TINYINIT_MANAGER, then the default places).</summary>
    public string? ManagerPath { get; private set; }
    /// <summary>From --root: the directory PID 1 treats as the system's root (<see cref="SystemScope"/>).</summary>
    public string? Root { get; private set; }
    /// <summary>From --shutdown-timeout, else $TINYINIT_SHUTDOWN_TIMEOUT, else 90 (<see cref="ShutdownWatchdog"/>).</summary>
    public int ShutdownTimeoutSeconds { get; private set; } = ShutdownWatchdog.DefaultTimeoutSeconds;
    /// <summary>Hidden --resume-fd=N: the record of a previous image of init (reexec-init), else -1.</summary>
    public int ResumeFd { get; private set; } = -1;
    /// <summary>The arguments without --resume-fd: what a re-executed image is given again.</summary>
    public string[] OwnArguments { get; private set; } = [];
    /// <summary>Arguments passed through to the manager.</summary>
    public string[] ManagerArguments { get; private set; } = [];
    /// <summary>What was wrong, for <see cref="InitAction.UsageError"/>.</summary>
    public string Error { get; private set; } = "";
    /// <summary>Kernel boot only: what was ignored instead of stopping.</summary>
    public List<string> Warnings { get; } = [];

    public static InitOptions Parse(string[] args, bool kernelBoot = false)
    {
        var options = new InitOptions();
        var userMode = false;
        var passThrough = new List<string>(args.Length);
        options.OwnArguments = args.Where(a => !a.StartsWith(InitReexec.ResumeOption + "=", StringComparison.Ordinal)).ToArray();
        string? timeout = Environment.GetEnvironmentVariable(ShutdownTimeoutVariable);
        if (timeout != null && !options.SetTimeout(timeout, "$" + ShutdownTimeoutVariable, kernelBoot)) return options;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "--version")
            {
                if (kernelBoot) options.Warnings.Add($"ignoring {arg} (booted by the kernel)");
                else return options.Stop(arg == "--help" ? InitAction.Help : InitAction.Version);
            }
            else if (arg.StartsWith(InitReexec.ResumeOption + "=", StringComparison.Ordinal))
                options.ResumeFd = int.TryParse(arg.AsSpan(InitReexec.ResumeOption.Length + 1), out var fd) && fd >= 0 ? fd : -1;
            else if (TryValue(args, ref i, "--manager", out var value)) options.ManagerPath = options.Keep(value, "--manager", options.ManagerPath, kernelBoot);
            else if (TryValue(args, ref i, "--root", out value)) options.Root = options.Keep(value, "--root", options.Root, kernelBoot);
            else if (TryValue(args, ref i, "--shutdown-timeout", out value))
            {
                if (!options.SetTimeout(value, "--shutdown-timeout", kernelBoot)) return options;
            }
            else
            {
                userMode |= arg is "-u" or "--user";
                passThrough.Add(arg);
            }
        }
        if (!options.Check("--manager", options.ManagerPath, kernelBoot) || !options.Check("--root", options.Root, kernelBoot)) return options;
        options.ManagerArguments = passThrough.ToArray();
        options.UserMode = userMode;
        return options;
    }

    /// <summary>"--name VALUE" or "--name=VALUE"; a missing value reads as "" (reported by <see cref="Check"/>).</summary>
    private static bool TryValue(string[] args, ref int i, string name, out string value)
    {
        value = "";
        if (args[i].StartsWith(name + "=", StringComparison.Ordinal)) value = args[i][(name.Length + 1)..];
        else if (args[i] != name) return false;
        else if (i + 1 < args.Length) value = args[++i];
        return true;
    }

    /// <summary>The new value; booted by the kernel an empty one is dropped with a warning (the earlier value stays).</summary>
    private string? Keep(string value, string name, string? earlier, bool kernelBoot)
    {
        if (value != "" || !kernelBoot) return value;
        Warnings.Add($"ignoring {name} without {What(name)}");
        return earlier;
    }

    private bool Check(string name, string? value, bool kernelBoot) =>
        value is not "" || kernelBoot || Fail($"{name} needs {What(name)}");

    private static string What(string name) => name == "--manager" ? "a path" : "a directory";

    private bool SetTimeout(string text, string source, bool kernelBoot)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds <= 24 * 3600)
        {
            ShutdownTimeoutSeconds = seconds;
            return true;
        }
        var message = $"{source}: '{text}' is not a number of seconds (0 to 86400)";
        if (!kernelBoot) return Fail(message);
        Warnings.Add(message + "; using " + ShutdownTimeoutSeconds);
        return true;
    }

    private bool Fail(string error)
    {
        Action = InitAction.UsageError;
        Error = error;
        return false;
    }

    private InitOptions Stop(InitAction action)
    {
        Action = action;
        return this;
    }
}
