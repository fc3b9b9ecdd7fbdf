namespace Tinyinit.Protocol.Control;

/// <summary>A SERVICEEVENT / SERVICEEVENT5 packet.</summary>
public readonly record struct ServiceEventInfo(uint Handle, ServiceEventCode Event, ServiceStatus Status);
