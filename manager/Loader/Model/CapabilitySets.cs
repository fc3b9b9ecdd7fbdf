namespace Tinyinit.Loader;

/// <summary>
/// What a <c>capabilities</c> setting asks of the process (service-files.md §6.27), as masks of
/// capability numbers: its inheritable set (replaced), its ambient set (replaced; every ambient
/// capability is inheritable too) and the capabilities dropped from its bounding set.
/// </summary>
public readonly record struct CapabilitySets(ulong Inheritable, ulong Ambient, ulong BoundingDrop)
{
    /// <summary>The sets an IAB text names, or null when it is not valid IAB text.</summary>
    public static CapabilitySets? FromIab(string text) => CapabilityNames.Parse(text);
}
