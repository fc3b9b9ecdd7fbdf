namespace Tinyinit.Protocol.Control;

/// <summary>A SERVICERECORD reply: the handle and the state when it was obtained.</summary>
public readonly record struct ServiceRecord(uint Handle, ServiceState State, ServiceState Target);
