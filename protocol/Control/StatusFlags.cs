namespace Tinyinit.Protocol.Control;

/// <summary>Flags byte of a status buffer (control-protocol.md §5).</summary>
[Flags]
public enum StatusFlags : byte
{
    None = 0,
    WaitingForConsole = 0x01,
    HoldsConsole = 0x02,
    StartSkipped = 0x04,
    ExplicitlyActivated = 0x08,
    HasPid = 0x10,
}
