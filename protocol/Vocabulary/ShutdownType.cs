namespace Tinyinit.Protocol;

/// <summary>
/// How the system ends (control-protocol.md §2.5). SHUTDOWN accepts Remain … Kexec; the
/// manager hands Halt … Kexec to tinyinit unchanged over the init link.
/// </summary>
public enum ShutdownType : byte
{
    None = 0,
    Remain = 1,
    Halt = 2,
    PowerOff = 3,
    Reboot = 4,
    /// <summary>Kill every process and re-execute tinyinit (a fresh manager), without rebooting the kernel.</summary>
    SoftReboot = 5,
    /// <summary>reboot(2) into a kernel loaded earlier with kexec_load; a plain reboot if none is loaded.</summary>
    Kexec = 6,
}
