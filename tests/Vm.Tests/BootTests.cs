namespace Tinyinit.Vm.Tests;

/// <summary>Scenarios 1 and 2: a plain boot, and supervision of a daemon inside the machine.</summary>
[TestFixture, NonParallelizable]
public sealed class BootTests
{
    private static readonly string[] ExampleServices =
    [
        "boot", "system", "early-filesystems", "rootfscheck", "rootrw", "hostname", "loopback",
        "syslogd", "loginready", "getty-console",
    ];

    [Test]
    public void Every_service_of_the_example_system_starts_and_tinyctl_works_inside()
    {
        using var vm = new VmBoot("boot", "tinyinit.test=boot");
        Assert.That(vm.WaitForResult("DONE"), Is.Not.Null, vm.Diagnostics());
        var results = vm.Results;
        Assert.That(results, Does.Contain("BOOTED scenario=boot pid1=tinyinit"), vm.Diagnostics());
        Assert.That(results, Does.Contain("LIST-STATUS 0"), "tinyctl list failed" + vm.Diagnostics());
        var list = results.Where(l => l.StartsWith("LIST [")).ToList();
        foreach (var service in ExampleServices)
            Assert.That(list.Any(l => l.EndsWith("] " + service) || l.Contains("] " + service + " (pid")), Is.True,
                $"{service} is not listed" + vm.Diagnostics());
        Assert.That(list.Where(l => !l.Contains("+}") && !l.Contains("[+]")), Is.Empty, "services not STARTED" + vm.Diagnostics());
        Assert.That(vm.WaitForExit(), Is.True, "QEMU did not exit after tinyctl poweroff" + vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
        Assert.That(vm.Console, Does.Contain("reboot: Power down"), vm.Diagnostics());
    }

    [Test]
    public void A_supervised_daemon_killed_inside_the_machine_is_restarted()
    {
        using var vm = new VmBoot("restart", "tinyinit.test=restart");
        var restarted = vm.WaitForResult("RESTARTED syslogd");
        Assert.That(restarted, Is.Not.Null, vm.Diagnostics());
        var pids = restarted!.Split(' ');
        Assert.That(pids[3], Is.Not.EqualTo(pids[2]), "the new syslogd has the killed one's pid" + vm.Diagnostics());
        Assert.That(vm.WaitForExit(), Is.True, vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
    }
}
