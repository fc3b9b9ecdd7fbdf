namespace Tinyinit.Vm.Tests;

/// <summary>Scenarios 6 and 7: single-user mode, and a boot whose required service fails.</summary>
[TestFixture, NonParallelizable]
public sealed class BootModeTests
{
    [Test]
    public void Single_on_the_kernel_command_line_gives_a_shell_and_leaving_it_continues_the_boot()
    {
        using var vm = new VmBoot("single", "tinyinit.test=single", "single");
        Assert.That(vm.WaitForConsole("Single-user mode"), Is.True, "no single-user shell" + vm.Diagnostics());
        Assert.That(vm.Results.Where(l => l.StartsWith("BOOTED")), Is.Empty, "the system booted before the single-user shell ended" + vm.Diagnostics());
        vm.Type("echo single-user-$((6 * 7))\n");
        Assert.That(vm.WaitForConsole("single-user-42"), Is.True, "the shell does not run commands" + vm.Diagnostics());
        vm.Type("exit\n");
        Assert.That(vm.WaitForResult("DONE"), Is.Not.Null, "the boot did not continue after the shell" + vm.Diagnostics());
        var list = vm.Results.Where(l => l.StartsWith("LIST [")).ToList();
        Assert.That(list.Any(l => l.Contains("[+]") && l.EndsWith("] boot")), Is.True, vm.Diagnostics());
        Assert.That(vm.WaitForExit(), Is.True, vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
    }

    [Test]
    public void A_failing_boot_service_runs_the_headless_boot_failure_action_instead_of_hanging()
    {
        // -t names the service to start instead of boot: one that needs a service that fails.
        // TINYINIT_BOOT_FAILURE=poweroff (an environment variable from the kernel command line)
        // is the action for a machine nobody watches; the default, halt, would leave QEMU waiting.
        using var vm = new VmBoot("fail-boot", "TINYINIT_BOOT_FAILURE=poweroff", "--", "-t", "fail-boot");
        Assert.That(vm.WaitForExit(), Is.True, "the machine hangs after the boot failure" + vm.Diagnostics());
        Assert.That(vm.Console, Does.Contain("[FAILED] broken"), vm.Diagnostics());
        Assert.That(vm.Console, Does.Contain("boot failure"), vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
        Assert.That(vm.Console, Does.Contain("reboot: Power down"), vm.Diagnostics());
    }

    [Test]
    public void A_failing_boot_with_the_recovery_action_gives_the_recovery_shell()
    {
        using var vm = new VmBoot("fail-boot-recovery", "TINYINIT_BOOT_FAILURE=recovery", "--", "-t", "fail-boot");
        Assert.That(vm.WaitForConsole("Boot failed: recovery shell"), Is.True, "no recovery shell" + vm.Diagnostics());
        vm.Type("echo recovery-$((6 * 7))\n");
        Assert.That(vm.WaitForConsole("recovery-42"), Is.True, "the shell does not run commands" + vm.Diagnostics());
        vm.Type("tinyctl poweroff\n");
        Assert.That(vm.WaitForExit(), Is.True, "tinyctl poweroff from the recovery shell did not end the machine" + vm.Diagnostics());
        Assert.That(vm.Panicked, Is.False, vm.Diagnostics());
        Assert.That(vm.Console, Does.Contain("reboot: Power down"), vm.Diagnostics());
    }
}
