using System.Diagnostics;

namespace Tinyinit.Integration.Tests.Harness;

public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Runs a program to completion (killing it after the timeout) and captures its output.</summary>
    public static CommandResult Run(string file, IEnumerable<string> args, TimeSpan? timeout = null, IDictionary<string, string>? env = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? Poll.DefaultTimeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new CommandResult(-1, stdout.Result, stderr.Result + "\n(timed out)");
        }
        return new CommandResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
