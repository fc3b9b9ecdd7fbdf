namespace Tinyinit.Ctl.Cli;

/// <summary>What the command line asks for: run a command, print a text and exit, or hand over to another program (check, monitor, shutdown).</summary>
internal abstract record ParseOutcome
{
    public sealed record Run(CtlOptions Options) : ParseOutcome;

    /// <summary>Print <paramref name="Text"/> (stdout if <paramref name="ToStdout"/>, else stderr with the program prefix already applied) and exit.</summary>
    public sealed record Exit(string Text, bool ToStdout, int Status) : ParseOutcome;

    /// <summary>Another program behind a subcommand word; <paramref name="Arguments"/> are all other arguments in order.</summary>
    public sealed record Delegate(string Word, string[] Arguments) : ParseOutcome;
}
