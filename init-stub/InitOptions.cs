namespace Tinyinit.Init;

/// <summary>What the command line asks of tinyinit.</summary>
internal enum InitAction { Run, Help, Version, UsageError }

/// <summary>
/// tinyinit's own options; every other argument goes to the manager unchanged, in order
/// (`tinyinit -d DIR -p SOCK boot` starts `tinyinitd -d DIR -p SOCK boot`). `-u`/`--user` is
/// both: tinyinit becomes a user's supervisor (<see cref="UserMode"/>) and the manager gets it too.
/// </summary>
/// <param name="managerPath">From --manager, or null (then TINYINIT_MANAGER, then the default places).</param>
/// <param name="managerArguments">Arguments passed through to the manager.</param>
/// <param name="error">What was wrong, for <see cref="InitAction.UsageError"/>.</param>
internal sealed class InitOptions(InitAction action, string? managerPath, string[] managerArguments, string error = "")
{
    public InitAction Action { get; } = action;
    public string? ManagerPath { get; } = managerPath;
    public string[] ManagerArguments { get; } = managerArguments;
    public string Error { get; } = error;
    /// <summary>-u/--user: supervise a user's manager (see <see cref="UserMode"/>).</summary>
    public bool UserMode { get; private init; }

    public static InitOptions Parse(string[] args)
    {
        string? manager = null;
        var userMode = false;
        var passThrough = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--help") return new InitOptions(InitAction.Help, null, []);
            if (arg == "--version") return new InitOptions(InitAction.Version, null, []);
            if (arg.StartsWith("--manager=", StringComparison.Ordinal)) manager = arg["--manager=".Length..];
            else if (arg == "--manager")
            {
                if (i + 1 >= args.Length) return new InitOptions(InitAction.UsageError, null, [], "--manager needs a path");
                manager = args[++i];
            }
            else
            {
                userMode |= arg is "-u" or "--user";
                passThrough.Add(arg);
            }
        }
        if (manager is "") return new InitOptions(InitAction.UsageError, null, [], "--manager needs a path");
        return new InitOptions(InitAction.Run, manager, passThrough.ToArray()) { UserMode = userMode };
    }
}
