namespace Tinyinit.Engine;

/// <summary>Shutdown types; wire values match control-protocol.md §2.5.</summary>
public enum ShutdownType : byte { None = 0, Remain = 1, Halt = 2, PowerOff = 3, Reboot = 4, SoftReboot = 5, Kexec = 6 }
