using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Shutdown;

/// <summary>
/// <c>shutdown --system</c> (semantics.md §17.7): what init runs once every service has stopped —
/// signal every remaining process, run the shutdown hook or turn off swap and unmount, sync,
/// and ask the kernel to halt/power off/reboot/kexec. Soft reboot ends after the sync.
/// Child output is not relayed through a buffer: children inherit the console directly.
/// </summary>
internal static class SystemShutdown
{
    // Hooks: tinyinit's own location first, then Dinit's, so an existing Dinit setup works unchanged.
    private static readonly string[] Hooks =
        ["/etc/tinyinit/shutdown-hook", "/lib/tinyinit/shutdown-hook", "/etc/dinit/shutdown-hook", "/lib/dinit/shutdown-hook"];

    private const int SigTerm = 15;
    private const int SigKill = 9;

    public static int Run(ShutdownType type, TextWriter stdout, TextWriter stderr) =>
        Run(type, stdout, new LinuxShutdownSystem());

    public static int Run(ShutdownType type, TextWriter output, IShutdownSystem system)
    {
        system.BlockAllSignals();
        system.RedirectOutputToConsole();
        Say(output, "Sending TERM/KILL to all processes...");
        system.SignalAllProcesses(SigTerm);
        system.Sleep(TimeSpan.FromSeconds(1));
        system.SignalAllProcesses(SigKill);

        if (!RunHook(type, output, system))
        {
            Say(output, "Turning off swap...");
            system.Run("/sbin/swapoff", "-a");
            Say(output, "Unmounting disks...");
            system.Run("/bin/umount", "-a", "-r");
        }
        system.Sync();
        if (type == ShutdownType.SoftReboot) return 0;

        Say(output, "Issuing shutdown via kernel...");
        var errno = system.Reboot(KernelCommand(type));
        Say(output, $"reboot: {Libc.StrError(errno)}");
        if (type == ShutdownType.Kexec) Say(output, "(no kernel image may have been loaded for kexec)");
        system.Hang();
        return 1;
    }

    /// <summary>Runs the first executable hook; true if it reported that filesystems are handled (exit 0).</summary>
    private static bool RunHook(ShutdownType type, TextWriter output, IShutdownSystem system)
    {
        var hook = Hooks.FirstOrDefault(system.IsExecutable);
        if (hook == null) return false;
        Say(output, "Executing shutdown hook...");
        var argument = type switch
        {
            ShutdownType.PowerOff => "poweroff",
            ShutdownType.Halt => "halt",
            ShutdownType.SoftReboot => "soft",
            _ => "reboot",
        };
        return system.Run(hook, argument) == 0;
    }

    private static int KernelCommand(ShutdownType type) => type switch
    {
        ShutdownType.Halt => unchecked((int)0xcdef0123),      // RB_HALT_SYSTEM
        ShutdownType.Reboot => 0x01234567,                    // RB_AUTOBOOT
        ShutdownType.Kexec => 0x45584543,                     // RB_KEXEC
        _ => 0x4321fedc,                                      // RB_POWER_OFF
    };

    private static void Say(TextWriter output, string line)
    {
        output.Write(line + "\n");
        output.Flush();
    }
}
