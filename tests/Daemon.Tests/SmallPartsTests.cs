using Tinyinit.Daemon.Core;
using Tinyinit.Daemon.Startup;

namespace Tinyinit.Daemon.Tests;

public class ControlSocketPathTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Test]
    public void TheOptionWins() =>
        Assert.That(ControlSocketPath.Resolve("/tmp/s", systemMode: true, Env()), Is.EqualTo("/tmp/s"));

    [Test]
    public void SystemModeUsesRun() =>
        Assert.That(ControlSocketPath.Resolve(null, systemMode: true, Env(("XDG_RUNTIME_DIR", "/run/user/1"))), Is.EqualTo("/run/tinyinit.socket"));

    [Test]
    public void UserModePrefersXdgRuntimeDirThenHome()
    {
        Assert.That(ControlSocketPath.Resolve(null, false, Env(("XDG_RUNTIME_DIR", "/run/user/1"), ("HOME", "/home/a"))), Is.EqualTo("/run/user/1/tinyinit.socket"));
        Assert.That(ControlSocketPath.Resolve(null, false, Env(("HOME", "/home/a"))), Is.EqualTo("/home/a/.tinyinit.socket"));
    }
}

public class PidFileTextTests
{
    [TestCase("1234\n", 1234)]
    [TestCase("  42  ", 42)]
    [TestCase("0x1f", 31)]
    [TestCase("017", 15)]
    [TestCase("", 0)]
    [TestCase("-5", 0)]
    [TestCase("12abc", 0)]
    [TestCase("99999999999", 0)]
    [TestCase("09", 0)]
    public void ParsesLikeStrtolBaseZero(string text, int pid) => Assert.That(PidFileText.Parse(text), Is.EqualTo(pid));
}

public class ExitStatusBookTests
{
    [Test]
    public void AStatusIsTakenOnce()
    {
        var book = new ExitStatusBook();
        book.Record(10, 256);
        Assert.That(book.TryTake(10, out var status), Is.True);
        Assert.That(status, Is.EqualTo(256));
        Assert.That(book.TryTake(10, out _), Is.False);
    }

    [Test]
    public void TheOldestEntriesAreForgottenFirstWhenFull()
    {
        var book = new ExitStatusBook(capacity: 3);
        for (var pid = 1; pid <= 5; pid++) book.Record(pid, pid);
        Assert.That(book.Count, Is.EqualTo(3));
        Assert.That(book.TryTake(1, out _), Is.False);
        Assert.That(book.TryTake(2, out _), Is.False);
        Assert.That(book.TryTake(5, out var s), Is.True);
        Assert.That(s, Is.EqualTo(5));
    }
}

public class ProcessEnvironmentTests
{
    private static readonly Dictionary<string, string> Global = new() { ["PATH"] = "/bin", ["HOME"] = "/root", ["LANG"] = "C" };

    [Test]
    public void TheServiceEnvironmentOverridesTheGlobalOne()
    {
        var d = new Tinyinit.Loader.ServiceDescription { Name = "s", Environment = new Dictionary<string, string> { ["LANG"] = "de_DE", ["X"] = "1" } };
        Assert.That(Os.ServiceCommandBuilder.ProcessEnvironment(d, Global),
            Is.EquivalentTo(new Dictionary<string, string> { ["PATH"] = "/bin", ["HOME"] = "/root", ["LANG"] = "de_DE", ["X"] = "1" }));
    }

    [Test]
    public void UnsetAndClearRemoveGlobalVariables()
    {
        var unset = new Tinyinit.Loader.ServiceDescription { Name = "s", UnsetEnvironment = ["HOME"] };
        Assert.That(Os.ServiceCommandBuilder.ProcessEnvironment(unset, Global).Keys, Is.EquivalentTo(new[] { "PATH", "LANG" }));
        var cleared = new Tinyinit.Loader.ServiceDescription { Name = "s", ClearsGlobalEnvironment = true, Environment = new Dictionary<string, string> { ["X"] = "1" } };
        Assert.That(Os.ServiceCommandBuilder.ProcessEnvironment(cleared, Global).Keys, Is.EquivalentTo(new[] { "X" }));
    }

    [Test]
    public void AnSdNotifyServiceGetsTheManagersVariablesOverItsOwnAndNoReadinessPipe()
    {
        var d = new Tinyinit.Loader.ServiceDescription
        {
            Name = "s", Type = Tinyinit.Loader.ServiceType.Process, Command = ["/bin/true"],
            ReadyNotification = new Tinyinit.Loader.ReadyNotification(Tinyinit.Loader.ReadyNotificationKind.SdNotify, -1, null),
            Environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "/forged" },
        };
        using var fds = new Os.LaunchFds();
        var request = Os.ServiceCommandBuilder.Build(d, Tinyinit.Engine.CommandKind.Start, Global, fds, out _, out _,
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "/run/x.notify", ["WATCHDOG_USEC"] = "5000000" })!;
        Assert.That(request.Environment, Does.Contain("NOTIFY_SOCKET=/run/x.notify").And.Contain("WATCHDOG_USEC=5000000").And.Not.Contain("NOTIFY_SOCKET=/forged"));
        Assert.That(fds.ReadyRead, Is.EqualTo(-1), "no pipe: readiness comes through the socket");
        Assert.That(request.FdMappings.Select(m => m.Target), Is.EquivalentTo(new[] { 0, 1, 2 }));
    }
}
