namespace Tinyinit.Engine;

/// <summary>Events sent to control clients; wire values match control-protocol.md §2.2.</summary>
public enum ServiceEvent : byte { Started = 0, Stopped = 1, FailedStart = 2, StartCancelled = 3, StopCancelled = 4 }
