namespace Tinyinit.Protocol.InitLink;

/// <summary>
/// How the system ends. The numbers are the control protocol's shutdown types
/// (control-protocol.md §2.5: HALT 2, POWEROFF 3, REBOOT 4, SOFTREBOOT 5, KEXEC 6), so the
/// manager forwards what tinyctl asked for unchanged. NONE (0) and REMAIN (1) never reach init.
/// </summary>
public enum LinkShutdownType : byte
{
    Halt = 2,
    PowerOff = 3,
    Reboot = 4,
    /// <summary>Kill every process and re-execute tinyinit (a fresh manager), without rebooting the kernel.</summary>
    SoftReboot = 5,
    /// <summary>reboot(2) into a kernel loaded earlier with kexec_load; a plain reboot if none is loaded.</summary>
    Kexec = 6,
}
