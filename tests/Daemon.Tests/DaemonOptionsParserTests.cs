using Tinyinit.Engine;
using Tinyinit.Daemon.Logging;
using Tinyinit.Daemon.Startup;

namespace Tinyinit.Daemon.Tests;

/// <summary>The daemon's command line (ctl.md §11) with the reference's exact error texts.</summary>
public class DaemonOptionsParserTests
{
    private static DaemonOptions Parse(params string[] args)
    {
        var options = DaemonOptionsParser.Parse(args, kernelArgumentMode: false, out var error);
        Assert.That(options, Is.Not.Null, error);
        return options!;
    }

    private static string Error(params string[] args)
    {
        Assert.That(DaemonOptionsParser.Parse(args, kernelArgumentMode: false, out var error), Is.Null);
        return error!;
    }

    [Test]
    public void DirectoriesSocketAndServicesAreCollectedInOrder()
    {
        var o = Parse("-d", "/a", "--services-dir", "/b", "-p", "/run/x.sock", "-u", "web", "-t", ".odd", "db");
        Assert.That(o.ServiceDirectories, Is.EqualTo(new[] { "/a", "/b" }));
        Assert.That(o.SocketPath, Is.EqualTo("/run/x.sock"));
        Assert.That(o.SystemMode, Is.False);
        Assert.That(o.Services, Is.EqualTo(new[] { "web", ".odd", "db" }), "-t names are not validated");
    }

    [TestCase("halt", "Halt")]
    [TestCase("poweroff", "PowerOff")]
    [TestCase("reboot", "Reboot")]
    [TestCase("recovery", "Recovery")]
    [TestCase("continue", "Continue")]
    public void BootFailureChoosesTheHeadlessAction(string word, string action) =>
        Assert.That(Parse("--boot-failure", word).BootFailure.ToString(), Is.EqualTo(action));

    [Test]
    public void BootFailureDefaultsToHalt() => Assert.That(Parse().BootFailure, Is.EqualTo(BootFailureAction.Halt));

    [TestCase("--boot-failure")]
    [TestCase("--boot-failure", "shrug")]
    public void ABadBootFailureActionIsAnError(params string[] args) =>
        Assert.That(Error(args), Does.Contain("'--boot-failure' accepts only arguments: 'halt', 'poweroff', 'reboot', 'recovery', 'continue'"));

    [TestCase("-d", "'--services-dir' (-d) requires an argument")]
    [TestCase("-e", "'--env-file' (-e) requires an argument")]
    [TestCase("-p", "'--socket-path' (-p) requires an argument")]
    [TestCase("-l", "'--log-file' (-l) requires an argument")]
    [TestCase("-t", "'--service' (-t) requires an argument")]
    [TestCase("-F", "'--ready-fd' (-F) requires an argument")]
    [TestCase("--console-level", "'--console-level' requires an argument")]
    public void AMissingOptionArgumentIsNamed(string option, string message) =>
        Assert.That(Error(option), Is.EqualTo("tinyinitd: " + message));

    [Test]
    public void AnEmptyOptionArgumentIsRefused() =>
        Assert.That(Error("-d", ""), Is.EqualTo("tinyinitd: '--services-dir' (-d) requires an argument"));

    [Test]
    public void ReadyFdMustBeANumberAndOpen()
    {
        Assert.That(Error("-F", "x"), Is.EqualTo("tinyinitd: '--ready-fd' (-F) requires a numerical argument"));
        Assert.That(Error("-F", "0"), Is.EqualTo("tinyinitd: '--ready-fd' (-F) requires an open file descriptor"));
        Assert.That(Error("-F", "987"), Is.EqualTo("tinyinitd: '--ready-fd' (-F) requires an open file descriptor"));
        Assert.That(Parse("-F", "2").ReadyFd, Is.EqualTo(2));
    }

    [Test]
    public void LogLevelsAreValidated()
    {
        Assert.That(Error("--log-level", "loud"), Is.EqualTo("tinyinitd: '--log-level' accepts only arguments: 'none', 'error', 'warn', 'info', 'debug'"));
        Assert.That(Parse("--console-level", "debug").ConsoleLevel, Is.EqualTo(LogLevel.Debug));
    }

    [Test]
    public void QuietThenConsoleLevelReenablesTheConsole()
    {
        Assert.That(Parse("-q").ConsoleLevel, Is.EqualTo(LogLevel.None));
        Assert.That(Parse("-q", "--console-level", "warn").ConsoleLevel, Is.EqualTo(LogLevel.Warn));
    }

    [Test]
    public void UnknownOptionsAndBadNamesAreErrors()
    {
        Assert.That(Error("--frobnicate"), Is.EqualTo("tinyinitd: unrecognized option: --frobnicate"));
        Assert.That(Error(""), Is.EqualTo("tinyinitd: error: empty command-line argument"));
        Assert.That(Error(".hidden"), Is.EqualTo("tinyinitd: error: invalid service name '.hidden'."));
        Assert.That(Error("@arg"), Is.EqualTo("tinyinitd: error: invalid service name '@arg'."));
    }

    [Test]
    public void KernelArgumentsAreIgnoredExceptSingleUntilSystemManagerOption()
    {
        var o = DaemonOptionsParser.Parse(["quiet", "splash", "--weird", "single", "-m", "net"], kernelArgumentMode: true, out var error);
        Assert.That(o, Is.Not.Null, error);
        Assert.That(o!.Services, Is.EqualTo(new[] { "single", "net" }));
        Assert.That(o.SystemManager, Is.True);
        Assert.That(DaemonOptionsParser.Parse(["-o", "--weird"], kernelArgumentMode: true, out error), Is.Null);
        Assert.That(error, Is.EqualTo("tinyinitd: unrecognized option: --weird"));
    }

    [Test]
    public void SocketGroupAndConnectionCap()
    {
        var o = Parse("--socket-group", "4242", "--connections-per-uid", "7");
        Assert.That(o.SocketGroup, Is.EqualTo(((uint)4242, "4242")));
        Assert.That(o.ConnectionsPerUid, Is.EqualTo(7));
        Assert.That(Parse().ConnectionsPerUid, Is.EqualTo(128));
    }

    [TestCase("--socket-group", "no-such-group-here", "tinyinitd: '--socket-group': no such group 'no-such-group-here'")]
    [TestCase("--connections-per-uid", "0", "tinyinitd: '--connections-per-uid' requires a positive number")]
    public void BadAccessOptionsAreRefused(string option, string value, string message)
    {
        Assert.That(DaemonOptionsParser.Parse([option, value], false, out var error), Is.Null);
        Assert.That(error, Is.EqualTo(message));
    }
}
