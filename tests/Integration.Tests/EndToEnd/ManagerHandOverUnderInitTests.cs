using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// <c>restart-manager</c> under tinyinit as PID 1: the manager keeps its pid under init, its
/// services keep theirs, and the link to PID 1 still carries the shutdown signal afterwards.
/// </summary>
[TestFixture, NonParallelizable]
public class ManagerHandOverUnderInitTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\ndepends-on: web\n",
        ["web"] = "type = process\nrestart = yes\ncommand = /bin/sleep 2101\n",
    };

    [Test]
    public void TheManagerHandsOverInPlaceAndStillTakesSignalsFromPid1()
    {
        using var init = NamespacedInit.Boot(Services);
        Assert.That(Poll.Until(() => Web(init) > 0), init.Output);
        var manager = init.Processes().Single(p => p.Name == "tinyinitd").HostPid;
        var web = Web(init);
        var list = init.Ctl("list").StdOut;

        var restart = init.Ctl("restart-manager");
        Assert.That(restart.ExitCode, Is.EqualTo(0), restart + init.Output);
        Assert.That(Poll.Until(() => init.Ctl("list").ExitCode == 0), init.Output);
        Assert.That(init.Ctl("list").StdOut, Is.EqualTo(list));
        Assert.That(init.Processes().Single(p => p.Name == "tinyinitd").HostPid, Is.EqualTo(manager));
        Assert.That(Web(init), Is.EqualTo(web));

        CommandResult.Run("kill", ["-KILL", web.ToString()]);
        Assert.That(Poll.Until(() => Web(init) is var pid && pid > 0 && pid != web), "restarted by the new image\n" + init.Output);

        // PID 1 forwards SIGTERM over the link only to a manager that said Hello on it.
        CommandResult.Run("kill", ["-TERM", init.InitHostPid.ToString()]);
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(init.Output, Does.Contain("[STOPPD] web"), "the manager stopped its services itself");
    }

    private static int Web(NamespacedInit init) =>
        init.Processes().FirstOrDefault(p => p.CommandLine == "/bin/sleep 2101")?.HostPid ?? 0;
}
