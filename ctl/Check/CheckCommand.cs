using System.Collections;
using Tinyinit.Loader.Check;

namespace Tinyinit.Ctl.Check;

/// <summary>
/// <c>tinyctl check</c> / <c>dinit-check</c> (ctl.md §12): a thin adapter; the checker itself is
/// <see cref="ServiceChecker"/> in the loader, where it is unit-tested.
/// </summary>
public static class CheckCommand
{
    /// <param name="args">Arguments after the command name.</param>
    /// <param name="programName">"tinyctl" or "dinit-check", used as the message prefix.</param>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string programName)
    {
        var options = CheckOptions.Parse(args, stderr, programName);
        if (options == null) return 1;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string k && e.Value is string v) environment[k] = v;
        return ServiceChecker.Run(options, stdout, stderr, programName, environment);
    }
}
