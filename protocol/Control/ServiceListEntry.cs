namespace Tinyinit.Protocol.Control;

/// <summary>One SVCINFO entry of a service list.</summary>
public readonly record struct ServiceListEntry(string Name, ServiceStatus Status);
