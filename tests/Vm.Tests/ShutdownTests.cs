namespace Tinyinit.Vm.Tests;

/// <summary>
/// Scenarios 4 and 5: `tinyctl poweroff`, `tinyctl reboot` and Ctrl-Alt-Del from the QEMU
/// monitor each end in an orderly shutdown: services stop in reverse dependency order, the root
/// filesystem is left clean, and the kernel powers off or restarts (QEMU, run with -no-reboot,
/// exits on either). One boot per fixture; its tests judge that boot.
/// </summary>
[TestFixture("poweroff", "reboot: Power down")]
[TestFixture("reboot", "reboot: Restarting system")]
[TestFixture("ctrl-alt-del", "reboot: Restarting system")]
[NonParallelizable]
public sealed class ShutdownTests(string scenario, string kernelMarker)
{
    /// <summary>(dependent, dependency): the first must stop before the second.</summary>
    private static readonly (string, string)[] StopOrder =
    [
        ("getty-console", "loginready"), ("loginready", "system"), ("system", "syslogd"),
        ("syslogd", "rootrw"), ("rootrw", "rootfscheck"), ("rootfscheck", "early-filesystems"),
        ("hostname", "early-filesystems"), ("loopback", "early-filesystems"),
    ];

    private VmBoot _vm = null!;
    private bool _exited;

    [OneTimeSetUp]
    public void Boot()
    {
        _vm = new VmBoot(scenario, "tinyinit.test=" + scenario);
        Assert.That(_vm.WaitForResult("READY"), Is.Not.Null, _vm.Diagnostics());
        if (scenario == "ctrl-alt-del") _vm.Monitor("sendkey ctrl-alt-delete");
        _exited = _vm.WaitForExit();
    }

    [OneTimeTearDown]
    public void Dispose() => _vm.Dispose();

    [Test]
    public void The_kernel_powers_off_or_restarts_and_QEMU_exits()
    {
        Assert.That(_exited, Is.True, "QEMU did not exit" + _vm.Diagnostics());
        Assert.That(_vm.Panicked, Is.False, _vm.Diagnostics());
        Assert.That(_vm.Console, Does.Contain(kernelMarker), _vm.Diagnostics());
    }

    [Test]
    public void Services_stop_in_reverse_dependency_order()
    {
        var lines = _vm.Console.Split('\n').ToList();
        int StoppedAt(string service) => lines.FindIndex(l => l.Trim() == "[STOPPD] " + service);
        foreach (var (dependent, dependency) in StopOrder)
        {
            Assert.That(StoppedAt(dependent), Is.GreaterThanOrEqualTo(0), $"{dependent} never stopped" + _vm.Diagnostics());
            Assert.That(StoppedAt(dependency), Is.GreaterThan(StoppedAt(dependent)),
                $"{dependency} stopped before {dependent}" + _vm.Diagnostics());
        }
    }

    [Test]
    public void The_root_filesystem_is_clean_afterwards()
    {
        Assert.That(_exited, Is.True, "QEMU did not exit" + _vm.Diagnostics());
        var header = Shell.Run("dumpe2fs", "-h", _vm.Image);
        Assert.That(header.Output, Does.Not.Contain("needs_recovery"), "the root was not unmounted or remounted read-only" + _vm.Diagnostics());
        Assert.That(header.Output, Does.Match(@"Filesystem state:\s+clean"), header.Output);
        var check = Shell.Run("e2fsck", "-f", "-n", _vm.Image);
        Assert.That(check.ExitCode, Is.Zero, check.Output);
    }
}
