namespace Tinyinit.Protocol.Control;

/// <summary>Shutdown kinds (control-protocol.md §2.5). SHUTDOWN accepts Remain … Kexec.</summary>
public enum ShutdownType : byte
{
    None = 0,
    Remain = 1,
    Halt = 2,
    PowerOff = 3,
    Reboot = 4,
    SoftReboot = 5,
    Kexec = 6,
}
