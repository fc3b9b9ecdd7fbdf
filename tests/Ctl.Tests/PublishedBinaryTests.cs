using System.Diagnostics;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Tests;

/// <summary>
/// The published NativeAOT binary (out/bin/tinyctl, or TINYINIT_BIN_DIR): the P/Invoke socket
/// path and argv[0] dispatch only exist there. Skipped when the binary has not been published.
/// </summary>
public class PublishedBinaryTests
{
    private static string? Binary()
    {
        var directory = Environment.GetEnvironmentVariable("TINYINIT_BIN_DIR") is { Length: > 0 } d
            ? d
            : Path.Combine(AppContext.BaseDirectory, "../../../../../out/bin");
        var path = Path.GetFullPath(Path.Combine(directory, "tinyctl"));
        return File.Exists(path) ? path : null;
    }

    private static (int Code, string Stdout, string Stderr) Run(string path, params string[] args)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000)) process.Kill();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Test]
    public void ListsServicesOverTheRealSocketCode()
    {
        var binary = Binary();
        if (binary == null) Assert.Ignore("tinyctl not published (dotnet publish ctl/tinyctl.csproj -c Release -o out/bin)");
        using var server = new FakeServer();
        server.Backend.Add("boot", ServiceState.Started);
        var r = Run(binary!, "-p", server.Path, "list");
        Assert.That((r.Code, r.Stdout, r.Stderr), Is.EqualTo((0, "[{+}     ] boot\n", "")));
    }

    [Test]
    public void InvokedAsDinitctlItUsesThatPrefix()
    {
        var binary = Binary();
        if (binary == null) Assert.Ignore("tinyctl not published");
        var link = Path.Combine(Directory.CreateTempSubdirectory("tinyctl-link-").FullName, "dinitctl");
        File.CreateSymbolicLink(link, binary!);
        try
        {
            var r = Run(link, "-p", "/nonexistent/socket", "list");
            Assert.That((r.Code, r.Stderr), Is.EqualTo((1, "dinitctl: connecting to socket: /nonexistent/socket: No such file or directory\n")));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(link)!, true);
        }
    }
}
