namespace Tinyinit.Vm.Tests;

/// <summary>Scenario 3: the manager (or PID 1) replaced under running services keeps their processes.</summary>
[TestFixture, NonParallelizable]
public sealed class ManagerRestartTests
{
    /// <summary>"BEFORE syslogd=111 getty-console=115 manager=98" → name → pid.</summary>
    private static Dictionary<string, string> Pids(string line) =>
        line.Split(' ').Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static (Dictionary<string, string> Before, Dictionary<string, string> After) BeforeAndAfter(VmBoot vm)
    {
        var before = vm.WaitForResult("BEFORE ");
        var after = vm.WaitForResult("AFTER ");
        Assert.That(before, Is.Not.Null, vm.Diagnostics());
        Assert.That(after, Is.Not.Null, vm.Diagnostics());
        var b = Pids(before!);
        var a = Pids(after!);
        Assert.That(b["syslogd"], Is.Not.Empty, vm.Diagnostics());
        return (b, a);
    }

    [Test]
    public void Services_keep_their_pids_when_the_manager_is_killed()
    {
        using var vm = new VmBoot("manager-kill", "tinyinit.test=manager-kill");
        var (before, after) = BeforeAndAfter(vm);
        Assert.That(after["manager"], Is.Not.EqualTo(before["manager"]), "the manager was not replaced" + vm.Diagnostics());
        Assert.That(after["syslogd"], Is.EqualTo(before["syslogd"]), vm.Diagnostics());
        Assert.That(after["getty-console"], Is.EqualTo(before["getty-console"]), vm.Diagnostics());
        Assert.That(vm.WaitForExit(), Is.True, vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
    }

    [Test]
    public void Services_and_the_manager_keep_their_pids_across_restart_manager()
    {
        using var vm = new VmBoot("restart-manager", "tinyinit.test=restart-manager");
        var (before, after) = BeforeAndAfter(vm);
        Assert.That(vm.Results, Does.Contain("RESTART-MANAGER-STATUS 0"), vm.Diagnostics());
        Assert.That(after, Is.EqualTo(before), vm.Diagnostics());
        Assert.That(vm.WaitForExit(), Is.True, vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
    }

    [Test]
    public void Services_and_the_manager_keep_their_pids_across_reexec_init()
    {
        using var vm = new VmBoot("reexec-init", "tinyinit.test=reexec-init");
        var (before, after) = BeforeAndAfter(vm);
        Assert.That(vm.Results, Does.Contain("REEXEC-INIT-STATUS 0"), vm.Diagnostics());
        Assert.That(vm.Results, Does.Contain("PID1-AFTER tinyinit"), vm.Diagnostics());
        Assert.That(vm.Console, Does.Contain("tinyinit: resumed after reexec-init"), "PID 1 did not re-execute" + vm.Diagnostics());
        Assert.That(after, Is.EqualTo(before), vm.Diagnostics());
        // The re-executed PID 1 still performs the final shutdown.
        Assert.That(vm.WaitForExit(), Is.True, vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
        Assert.That(vm.Console, Does.Contain("reboot: Power down"), vm.Diagnostics());
    }
}
