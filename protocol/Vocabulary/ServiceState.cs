namespace Tinyinit.Protocol;

/// <summary>
/// A service's state (semantics.md §2.1), with its wire values (control-protocol.md §2.1).
/// One definition for the engine, the control protocol and tinyctl.
/// </summary>
public enum ServiceState : byte
{
    Stopped = 0,
    Starting = 1,
    Started = 2,
    Stopping = 3,
}
