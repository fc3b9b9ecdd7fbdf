namespace Tinyinit.Engine;

/// <summary>Service state; wire values match control-protocol.md §2.1.</summary>
public enum ServiceState : byte { Stopped = 0, Starting = 1, Started = 2, Stopping = 3 }
