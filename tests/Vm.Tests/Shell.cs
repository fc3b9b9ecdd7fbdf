using System.Diagnostics;

namespace Tinyinit.Vm.Tests;

/// <summary>Runs a host program to completion and returns its exit status and output.</summary>
public static class Shell
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout + stderr.Result);
    }
}
