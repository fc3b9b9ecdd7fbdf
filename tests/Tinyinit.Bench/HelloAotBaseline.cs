using System.Diagnostics;

namespace Tinyinit.Bench;

/// <summary>
/// Publishes HelloAot/ (a NativeAOT hello-world built with tinyctl's settings) next to the
/// binaries under test, so tinyctl's start-up is read against the runtime's own floor on the same
/// machine. Incremental: a second bench run reuses the output.
/// </summary>
internal static class HelloAotBaseline
{
    public static string? Publish(string binDirectory)
    {
        var project = FindProject();
        if (project == null) return null;
        var output = Path.GetFullPath(Path.Combine(binDirectory, "..", "bench-hello"));
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", project, "-c", "Release", "--nologo", "-v", "quiet", "-o", output })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"publishing {project} failed: {stdout.Result}{stderr}");
        return Path.Combine(output, "hello-aot");
    }

    // `make bench` runs from the repository root; `dotnet run` from elsewhere still finds the
    // project by walking up from the bench's own build output.
    private static string? FindProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tinyinit.Bench", "HelloAot", "HelloAot.csproj");
            if (File.Exists(candidate)) return candidate;
        }
        var fromCwd = Path.GetFullPath(Path.Combine("tests", "Tinyinit.Bench", "HelloAot", "HelloAot.csproj"));
        return File.Exists(fromCwd) ? fromCwd : null;
    }
}
