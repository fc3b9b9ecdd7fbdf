namespace Tinyinit.Protocol.Control;

/// <summary>Unsolicited server→client packets (control-protocol.md §7); every code ≥ 100 is one.</summary>
public enum InfoCode : byte
{
    ServiceEvent = 100,
    ServiceEvent5 = 101,
    EnvironmentEvent = 102,
}
