using Tinyinit.Ctl.Shutdown;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Tests;

/// <summary>The kernel-level shutdown (semantics.md §17.7) against a fake system: order of actions, hook, soft reboot, failure.</summary>
public class SystemShutdownTests
{
    private sealed class FakeSystem : IShutdownSystem
    {
        public List<string> Actions { get; } = [];
        public HashSet<string> Executables { get; } = [];
        public int HookResult { get; set; }
        public int RebootErrno { get; set; } = 1;

        public void BlockAllSignals() => Actions.Add("block");
        public void RedirectOutputToConsole() => Actions.Add("console");
        public void SignalAllProcesses(int signal) => Actions.Add($"kill -1 {signal}");
        public void Sleep(TimeSpan duration) => Actions.Add($"sleep {duration.TotalSeconds}");
        public bool IsExecutable(string path) => Executables.Contains(path);

        public int Run(string path, params string[] arguments)
        {
            Actions.Add($"run {path} {string.Join(' ', arguments)}");
            return path.Contains("shutdown-hook") ? HookResult : 0;
        }

        public void Sync() => Actions.Add("sync");

        public int Reboot(int command)
        {
            Actions.Add($"reboot {command:x}");
            return RebootErrno;
        }

        public void Hang() => Actions.Add("hang");
    }

    [Test]
    public void WithoutAHookSwapIsTurnedOffAndDisksUnmountedBeforeThePowerOff()
    {
        var system = new FakeSystem();
        var output = new StringWriter();
        SystemShutdown.Run(ShutdownType.PowerOff, output, system);
        Assert.That(system.Actions, Is.EqualTo(new[]
        {
            "block", "console", "kill -1 15", "sleep 1", "kill -1 9",
            "run /sbin/swapoff -a", "run /bin/umount -a -r", "sync", "reboot 4321fedc", "hang",
        }));
        Assert.That(output.ToString(), Does.StartWith(
            "Sending TERM/KILL to all processes...\nTurning off swap...\nUnmounting disks...\nIssuing shutdown via kernel...\nreboot: "));
    }

    [Test]
    public void ASuccessfulHookReplacesSwapOffAndUnmount()
    {
        var system = new FakeSystem();
        system.Executables.Add("/etc/dinit/shutdown-hook");
        SystemShutdown.Run(ShutdownType.Reboot, new StringWriter(), system);
        Assert.That(system.Actions, Does.Contain("run /etc/dinit/shutdown-hook reboot"));
        Assert.That(system.Actions, Does.Not.Contain("run /sbin/swapoff -a"));
        Assert.That(system.Actions, Does.Contain("reboot 1234567"));
    }

    [Test]
    public void AFailingHookStillUnmounts()
    {
        var system = new FakeSystem { HookResult = 1 };
        system.Executables.Add("/lib/dinit/shutdown-hook");
        SystemShutdown.Run(ShutdownType.Halt, new StringWriter(), system);
        Assert.That(system.Actions, Does.Contain("run /lib/dinit/shutdown-hook halt"));
        Assert.That(system.Actions, Does.Contain("run /bin/umount -a -r"));
    }

    [Test]
    public void SoftRebootEndsAfterSyncWithStatusZero()
    {
        var system = new FakeSystem();
        Assert.That(SystemShutdown.Run(ShutdownType.SoftReboot, new StringWriter(), system), Is.Zero);
        Assert.That(system.Actions[^1], Is.EqualTo("sync"));
    }
}
