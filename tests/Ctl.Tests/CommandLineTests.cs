using static Tinyinit.Ctl.Tests.CtlRun;

namespace Tinyinit.Ctl.Tests;

/// <summary>Command-line parsing: usage, exact error texts and exit codes (ctl.md §1), with no daemon involved.</summary>
public class CommandLineTests
{
    private const string Invalid = "tinyctl: Invalid command line.\nTry 'tinyctl --help' for more information.\n";

    [Test]
    public void NoArgumentsPrintsUsageAndSucceeds()
    {
        var r = Tinyctl();
        Assert.That(r.ExitCode, Is.Zero);
        Assert.That(r.Stdout, Does.StartWith("tinyctl:   control tinyinit services\n\nUsage:\n    tinyctl [options] status <service-name>\n"));
        Assert.That(r.Stdout, Does.Contain("--json"));
    }

    [Test]
    public void UnderTheNameDinitctlTheUsageIsTheReferenceText()
    {
        var r = Invoke("dinitctl", null, "--help");
        Assert.That(r.Stdout, Does.StartWith("dinitctl:   control Dinit services\n"));
        Assert.That(r.Stdout, Does.EndWith("  -l, --list       : (signal) list supported signals\n"));
        Assert.That(r.Stdout, Does.Not.Contain("tinyctl").And.Not.Contain("--json"));
    }

    [TestCase(new[] { "bogus", "--help" }, "tinyctl: unrecognized command: bogus (use --help for help)\n")]
    [TestCase(new[] { "--bogus" }, "tinyctl: unrecognized/invalid option: --bogus (use --help for help)\n")]
    [TestCase(new[] { "start", "" }, "tinyctl: Invalid empty argument\n")]
    [TestCase(new[] { "start" }, Invalid)]
    [TestCase(new[] { "start", "a", "b" }, Invalid)]
    [TestCase(new[] { "list", "x" }, Invalid)]
    [TestCase(new[] { "--force", "stop", "a" }, Invalid)]
    [TestCase(new[] { "start", "--force", "a" }, Invalid)]
    [TestCase(new[] { "catlog", "a", "-l" }, Invalid)]
    [TestCase(new[] { "add-dep", "sometimes", "a", "b" }, Invalid)]
    [TestCase(new[] { "-p" }, "tinyctl: --socket-path/-p should be followed by socket path\n")]
    [TestCase(new[] { "-d" }, "tinyctl: '--services-dir' (-d) requires an argument\n")]
    [TestCase(new[] { "enable", "--from" }, "tinyctl: --from should be followed by a service name\n")]
    [TestCase(new[] { "status", "a", "-o" }, "tinyctl: offline mode (--offline/-o) not supported for this command\n")]
    [TestCase(new[] { "signal" }, "tinyctl: signal number/name must be specified\n")]
    [TestCase(new[] { "signal", "HUP" }, "tinyctl: service name must be specified\n")]
    [TestCase(new[] { "signal", "-l", "a" }, Invalid)]
    [TestCase(new[] { "signal", "-9", "a" }, "tinyctl: unrecognized/invalid option: -9 (use --help for help)\n")]
    [TestCase(new[] { "signal", "9x", "a" }, "tinyctl: '9x' is not a valid signal name/number\n")]
    public void ErrorsGoToStderrWithExitStatusOne(string[] args, string message)
    {
        var r = Invoke("tinyctl", new Dictionary<string, string> { ["DINIT_SOCKET_PATH"] = "/nonexistent/socket" }, args);
        Assert.That((r.ExitCode, r.Stderr, r.Stdout), Is.EqualTo((1, message, "")));
    }

    [Test]
    public void VersionIsHandledWhenReachedEvenAfterACommand()
    {
        Assert.That(Tinyctl("start", "foo", "--version").Stdout, Is.EqualTo("tinyctl (tinyinit) 0.1.0\n"));
        // Scripts written for Dinit read the first line; ours follows.
        Assert.That(Invoke("dinitctl", null, "--version").Stdout, Is.EqualTo("Dinit version 0.23.0.\ndinitctl (tinyinit) 0.1.0\n"));
        Assert.That(Invoke("dinit-monitor", null, "--version").Stdout, Is.EqualTo("Dinit version 0.23.0.\ndinit-monitor (tinyinit) 0.1.0\n"));
    }

    [Test]
    public void ErrorMessagesUseTheInvokedName()
    {
        var r = Invoke("dinitctl", null, "start");
        Assert.That(r.Stderr, Is.EqualTo("dinitctl: Invalid command line.\nTry 'dinitctl --help' for more information.\n"));
    }

    [Test]
    public void SignalListNeedsNoDaemon()
    {
        var r = Tinyctl("signal", "--list");
        Assert.That(r.ExitCode, Is.Zero);
        Assert.That(r.Stdout, Does.StartWith("tinyctl: The following signal names are supported:\ntinyctl: HUP  -> 1\n"));
        Assert.That(r.Stdout, Does.EndWith("tinyctl: STOP -> 19\n"));
    }

    [Test]
    public void UserModeWithoutSocketHintsAtNoUserInstance()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tinyctl-none-" + Guid.NewGuid().ToString("N"));
        var r = Invoke("tinyctl", new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = dir }, "-u", "list");
        Assert.That(r.Stderr, Is.EqualTo($"tinyctl: connecting to socket: {dir}/tinyinit.socket: No such file or directory\ntinyctl: perhaps no user instance is running?\n"));
    }

    [Test]
    public void UserModeWithoutXdgRuntimeDirOrHomeUsesTheHomeFromThePasswordDatabase()
    {
        // ctl.md §1.3: HOME from the environment, else the password database.
        var home = ((Tinyinit.Loader.IUserDatabase)Tinyinit.Loader.SystemUserDatabase.Instance).HomeOfRealUser();
        if (home == null) Assert.Ignore("the real user has no password entry");
        var r = Invoke("tinyctl", new Dictionary<string, string>(), "-u", "list");
        Assert.That(r.Stderr, Does.StartWith($"tinyctl: connecting to socket: {home}/.tinyinit.socket: "));
        Assert.That(r.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void ShutdownProgramHelpAndErrors()
    {
        var help = Invoke("reboot", null, "--help");
        Assert.That(help.ExitCode, Is.EqualTo(1));
        Assert.That(help.Stdout, Does.StartWith("reboot :   shutdown the system\n"));
        Assert.That(help.Stdout, Does.Contain("-r               : reboot (default).\n"));
        var bad = Invoke("shutdown", null, "-x");
        Assert.That((bad.ExitCode, bad.Stderr), Is.EqualTo((1, "Unrecognized command-line parameter: -x\n")));
    }

    [Test]
    public void MonitorValidatesItsCommandLine()
    {
        Assert.That(Invoke("dinit-monitor", null).ExitCode, Is.EqualTo(1));
        Assert.That(Invoke("dinit-monitor", null, "-c", "echo").Stderr, Is.EqualTo("dinit-monitor: specify at least one service name\n"));
        Assert.That(Invoke("dinit-monitor", null, "svc").Stderr, Is.EqualTo("dinit-monitor: command must specified\n"));
        Assert.That(Invoke("dinit-monitor", null, "-c", "  ", "svc").Stderr, Is.EqualTo("dinit-monitor: specified command is empty\n"));
        Assert.That(Invoke("dinit-monitor", null, "svc", "-c").Stderr, Is.EqualTo("dinit-monitor: --command/-c should be followed by command\n"));
        Assert.That(Tinyctl("monitor", "--help").Stdout, Does.StartWith("tinyctl:   monitor tinyinit services\n"));
        Assert.That(Invoke("dinit-monitor", null, "--help").Stdout, Does.StartWith("dinit-monitor:   monitor Dinit services\n"));
    }
}
