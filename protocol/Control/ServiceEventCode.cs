namespace Tinyinit.Protocol.Control;

/// <summary>Service event carried by SERVICEEVENT packets (control-protocol.md §2.2).</summary>
public enum ServiceEventCode : byte
{
    Started = 0,
    Stopped = 1,
    FailedStart = 2,
    StartCancelled = 3,
    StopCancelled = 4,
}
