namespace Tinyinit.Protocol;

/// <summary>Why a service last stopped (semantics.md §2.3), with its wire values (control-protocol.md §2.3).</summary>
public enum StopReason : byte
{
    Normal = 0,
    DependencyRestart = 1,
    DependencyFailed = 2,
    Failed = 3,
    ExecFailed = 4,
    TimedOut = 5,
    Terminated = 6,
}
