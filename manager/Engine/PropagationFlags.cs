namespace Tinyinit.Engine;

/// <summary>Pending propagation work for one service (semantics.md §3.2, first phase).</summary>
[Flags]
internal enum PropagationFlags : byte
{
    None = 0,
    RequireDependencies = 1 << 0,
    ReleaseDependencies = 1 << 1,
    Failure = 1 << 2,
    Start = 1 << 3,
    Stop = 1 << 4,
    /// <summary>A stop requested by a release to zero; dropped if the service is required again
    /// before it runs (the reference stops directly inside release, which nests).</summary>
    StopIfUnrequired = 1 << 5,
    /// <summary>A restart re-requires hard dependencies whose hold was lost meanwhile (a
    /// dependency that failed while this service was stopping), so it never waits for a
    /// dependency nobody will start.</summary>
    RequireHardDependencies = 1 << 6,
}
