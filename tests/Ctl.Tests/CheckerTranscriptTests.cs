using System.Diagnostics;

namespace Tinyinit.Ctl.Tests;

/// <summary>
/// The checker as a user runs it (ctl.md §12): the published tinyctl under the names
/// <c>dinit-check</c> (a symlink) and <c>tinyctl check</c>, full transcripts. Skipped when the
/// binary has not been published.
/// </summary>
public class CheckerTranscriptTests
{
    private string _work = null!;
    private string _services = null!;
    private string _tinyctl = null!;
    private string _dinitCheck = null!;

    [SetUp]
    public void SetUp()
    {
        var directory = Environment.GetEnvironmentVariable("TINYINIT_BIN_DIR") is { Length: > 0 } d
            ? d
            : Path.Combine(AppContext.BaseDirectory, "../../../../../out/bin");
        _tinyctl = Path.GetFullPath(Path.Combine(directory, "tinyctl"));
        if (!File.Exists(_tinyctl)) Assert.Ignore("tinyctl not published (make)");
        _work = Directory.CreateTempSubdirectory("tinyctl-check-").FullName;
        _services = Path.Combine(_work, "services");
        Directory.CreateDirectory(_services);
        Directory.CreateDirectory(Path.Combine(_work, "home"));
        _dinitCheck = Path.Combine(_work, "dinit-check");
        File.CreateSymbolicLink(_dinitCheck, _tinyctl);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_services, name), text);

    /// <summary>Runs in <paramref name="directory"/> as a user whose own directories are empty.</summary>
    private (int Code, string Stdout, string Stderr) Run(string directory, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["HOME"] = Path.Combine(_work, "home");
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(_work, "home");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000)) process.Kill();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Test]
    public void ACommandOfAnInternalServiceIsReportedAsIgnoredAndItsExecutableChecked()
    {
        Write("i", "type = internal\ncommand = /nonexistent/tinyinit-prog\n");

        Assert.That(Run(_work, _dinitCheck, "-d", _services, "i"), Is.EqualTo((1,
            "Checking service: i...\nPerforming secondary checks...\nOne or more errors/warnings issued.\n",
            "Service 'i': warning: 'command' specified, but ignored for the specified (or default) service type.\n" +
            "Service 'i': warning: could not stat command executable '/nonexistent/tinyinit-prog': No such file or directory\n" +
            "Secondary checks complete.\n")));
    }

    [Test]
    public void TheOfflineSubstitutionWarningComesAtTheFirstVariableOfAnySetting()
    {
        Write("s", "type = process\nfrob = 1\ncommand = /bin/echo $GREETING\nnope = 2\n");
        var file = Path.Combine(_services, "s");

        Assert.That(Run(_work, _dinitCheck, "-d", _services, "s"), Is.EqualTo((1,
            "Checking service: s...\nPerforming secondary checks...\nOne or more errors/warnings issued.\n",
            $"Service 's' ({file}:2): unknown setting: 'frob'.\n" +
            $"Service 's' ({file}:4): unknown setting: 'nope'.\n" +
            "dinit-check: warning: variable substitution performed by dinit-check for file paths may not match dinit daemon (environment may differ); use --online to avoid this warning\n" +
            "Secondary checks complete.\n")));
        Write("s", "type = process\ncommand = /bin/echo $GREETING\n");
        Assert.That(Run(_work, _tinyctl, "check", "-d", _services, "s"), Is.EqualTo((0,
            "Checking service: s...\nPerforming secondary checks...\nNo problems found.\n",
            "tinyctl: warning: variable substitution performed by tinyctl check may not match the service manager (environment may differ); use --online to avoid this warning\n" +
            "Secondary checks complete.\n")), "the warning does not count as a problem");
    }

    [Test]
    public void TinyctlCheckRunInsideAServiceDirectoryChecksTheFilesThere()
    {
        Write("web", "type = process\ncommand = /bin/sleep 1\ndepends-on: db\n");
        Write("db", "type = process\ncommand = /bin/sleep 1\n");

        Assert.That(Run(_services, _tinyctl, "check", "-u", "web"), Is.EqualTo((0,
            "Checking service: web...\nChecking service: db...\nPerforming secondary checks...\nNo problems found.\n",
            "Secondary checks complete.\n")));
        // The reference's name keeps the reference's search path.
        Assert.That(Run(_services, _dinitCheck, "-u", "web"), Is.EqualTo((1,
            "Checking service: web...\nPerforming secondary checks...\nOne or more errors/warnings issued.\n",
            "Unable to load service 'web': service description not found.\nSecondary checks complete.\n")));
    }
}
