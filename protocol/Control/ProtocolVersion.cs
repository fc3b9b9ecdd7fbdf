namespace Tinyinit.Protocol.Control;

/// <summary>Protocol versions (control-protocol.md §2.7, §3).</summary>
public static class ProtocolVersion
{
    /// <summary>Oldest client version the server still serves.</summary>
    public const ushort MinimumCompatible = 1;

    /// <summary>The version this implementation speaks (Dinit after 0.22.1).</summary>
    public const ushort Current = 7;
}
