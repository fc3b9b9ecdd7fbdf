using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// Boot failure on a machine nobody watches: <c>--boot-failure ACTION</c> (passed through
/// tinyinit to the manager) chooses what happens instead of halting.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(120_000)]
public class HeadlessBootFailureTests
{
    private const int SIGHUP = 1;

    // boot fails a moment after the control socket is up, so the harness sees the boot start.
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\ndepends-on: broken\n",
        ["broken"] = "type = scripted\ncommand = /bin/sh -c \"sleep 1; exit 1\"\n",
    };

    [Test]
    public void BootFailureRebootsWhenAskedTo()
    {
        using var init = NamespacedInit.Boot(Services, "--boot-failure", "reboot");
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(init.ExitCode, Is.EqualTo(128 + SIGHUP), init.Output);
        Assert.That(init.Output, Does.Contain("boot failure?").And.Contain("Rebooting.").And.Contain("tinyinit: shutting down: reboot"));
    }

    [Test]
    public void BootFailureCanContinueWithTheControlSocketOpen()
    {
        using var init = NamespacedInit.Boot(Services, "--boot-failure", "continue");
        Assert.That(Poll.Until(() => init.Output.Contains("Continuing with no services")), init.Output);
        Assert.That(init.HasExited, Is.False);
        var status = init.Ctl("status", "broken");
        Assert.That(status.ExitCode, Is.EqualTo(0).Or.EqualTo(1), status.ToString());
        Assert.That(status.StdOut, Does.Contain("STOPPED"), status.ToString());
        Assert.That(init.Ctl("shutdown").ExitCode, Is.EqualTo(0));
        Assert.That(init.WaitForExit(), Is.True, init.Output);
    }
}
