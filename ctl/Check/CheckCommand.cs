namespace Tinyinit.Ctl.Check;

/// <summary><c>tinyctl check</c> / <c>dinit-check</c> (ctl.md §12). Filled in by issue 3.</summary>
public static class CheckCommand
{
    /// <param name="args">Arguments after the command name.</param>
    /// <param name="programName">"tinyctl" or "dinit-check", used as the message prefix.</param>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string programName)
    {
        stderr.WriteLine($"{programName}: check is not implemented yet");
        return 1;
    }
}
