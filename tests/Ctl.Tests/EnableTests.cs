using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Ctl.Tests.CtlRun;

namespace Tinyinit.Ctl.Tests;

/// <summary>enable/disable (ctl.md §9): the symlink in FROM's waits-for.d and the daemon request.</summary>
public class EnableTests
{
    private FakeServer _server = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _server = new FakeServer();
        _dir = Directory.CreateTempSubdirectory("tinyctl-enable-").FullName;
        File.WriteAllText(Path.Combine(_dir, "boot"), "type = internal\nwaits-for.d = boot.d\n");
        Directory.CreateDirectory(Path.Combine(_dir, "boot.d"));
        File.WriteAllText(Path.Combine(_dir, "a"), "type = process\ncommand = /bin/true\n");
        var boot = _server.Backend.Add("boot", ServiceState.Started);
        boot.Directory = _dir;
        _server.Backend.OnDisk["a"] = new FakeService("a") { Directory = _dir };
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        Directory.Delete(_dir, true);
    }

    private string LinkOf(string name) => Path.Combine(_dir, "boot.d", name);

    [Test]
    public void EnableCreatesARelativeLinkAndStartsTheService()
    {
        var r = Against(_server, "enable", "a");
        Assert.That((r.ExitCode, r.Stdout, r.Stderr), Is.EqualTo((0, "Service 'a' has been enabled.\nService 'a' started.\n", "")));
        Assert.That(new FileInfo(LinkOf("a")).LinkTarget, Is.EqualTo("../a"));
        Assert.That(_server.Backend.Loaded.Single(s => s.Name == "boot").Links, Has.Count.EqualTo(1));

        var again = Against(_server, "enable", "a");
        Assert.That((again.ExitCode, again.Stderr), Is.EqualTo((1, "tinyctl: service already enabled.\n")));
    }

    [Test]
    public void DisableRemovesTheLinkAndTheRuntimeDependency()
    {
        Against(_server, "enable", "a");
        var r = Against(_server, "disable", "a");
        Assert.That(r.ExitCode, Is.Zero);
        Assert.That(r.Stdout, Is.EqualTo("Service 'a' has been disabled.\n"));
        Assert.That(r.Stderr, Is.EqualTo("tinyctl: note: disabled service may have other dependents\n"), "a is still running");
        Assert.That(File.Exists(LinkOf("a")) || new FileInfo(LinkOf("a")).LinkTarget != null, Is.False);
        var twice = Against(_server, "disable", "a");
        Assert.That(twice.Stderr, Is.EqualTo("tinyctl: service not currently enabled\n"));
    }

    [Test]
    public void EnableViaMetaAndFixedDependencies()
    {
        File.WriteAllText(Path.Combine(_dir, "other"), "waits-for = a\nwaits-for.d = other.d\n");
        _server.Backend.Add("other", ServiceState.Started).Directory = _dir;
        File.AppendAllText(Path.Combine(_dir, "a"), "@meta enable-via other\n");
        var r = Against(_server, "enable", "a");
        Assert.That((r.ExitCode, r.Stderr), Is.EqualTo((1, "tinyctl: there is a fixed dependency to service 'a' in the service description of 'other'.\n")));
    }

    [Test]
    public void FromWithAnArgumentIsRefused()
    {
        var r = Against(_server, "enable", "--from", "x@1", "a");
        Assert.That((r.ExitCode, r.Stderr), Is.EqualTo((1, "tinyctl: cannot enable/disable from a service with argument (service@arg).\n")));
    }

    [Test]
    public void OfflineEnableAndDisableOnlyTouchTheDirectory()
    {
        var r = Tinyctl("-o", "-d", _dir, "enable", "a");
        Assert.That((r.ExitCode, r.Stdout), Is.EqualTo((0, "Service 'a' has been enabled.\n")));
        Assert.That(new FileInfo(LinkOf("a")).LinkTarget, Is.EqualTo("../a"));
        Assert.That(_server.Backend.Calls, Is.Empty, "no daemon contact");
        Assert.That(Tinyctl("-o", "-d", _dir, "disable", "a").ExitCode, Is.Zero);
        var missing = Tinyctl("-o", "-d", _dir, "enable", "nothere");
        Assert.That(missing.Stderr, Is.EqualTo("tinyctl: could not locate service file for target service 'nothere'\n"));
    }
}
