namespace Tinyinit.Protocol.Control;

/// <summary>Dependency link types (control-protocol.md §2.4). Only Regular, WaitsFor and Milestone are valid on the wire.</summary>
public enum DependencyType : byte
{
    Regular = 0,
    Soft = 1,
    WaitsFor = 2,
    Milestone = 3,
    Before = 4,
    After = 5,
    PreparedBy = 6,
}
