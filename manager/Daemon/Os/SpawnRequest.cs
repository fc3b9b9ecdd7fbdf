namespace Tinyinit.Daemon.Os;

/// <summary>
/// What to run, with which descriptors, and the settings the child applies before exec
/// (semantics.md §9.6). Unset settings leave the manager's value to the child.
/// </summary>
internal sealed class SpawnRequest
{
    public required IReadOnlyList<string> Argv { get; init; }
    /// <summary>NAME=VALUE entries of the child's whole environment.</summary>
    public required IReadOnlyList<string> Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>Start a new session (and process group): signals then reach the whole group.</summary>
    public bool NewSession { get; init; } = true;
    /// <summary>The child adds LISTEN_PID=&lt;its pid&gt; to its environment (socket activation).</summary>
    public bool SetListenPid { get; init; }
    /// <summary>(source fd in the manager, target fd in the child) pairs, applied in order.</summary>
    public IReadOnlyList<(int Source, int Target)> FdMappings { get; init; } = [];

    public IReadOnlyList<SpawnRlimit> Rlimits { get; init; } = [];
    public int? Nice { get; init; }
    /// <summary>The ioprio_set value: class &lt;&lt; 13 | level.</summary>
    public int? IoPriority { get; init; }
    public int? OomScoreAdj { get; init; }
    /// <summary>run-as, resolved by the manager (the child cannot read the user database).</summary>
    public SpawnIdentity? Identity { get; init; }
    /// <summary>Console, cgroup, capabilities, securebits, no-new-privs (null: none of them).</summary>
    public PrivilegeSettings? Privileges { get; set; }
}

/// <summary>One resource limit; a null half keeps the current value, <see cref="ulong.MaxValue"/> is unlimited.</summary>
internal readonly record struct SpawnRlimit(int Resource, ulong? Soft, ulong? Hard);

/// <summary>The ids the child takes: supplementary groups, then gid, then uid.</summary>
internal sealed record SpawnIdentity(uint Uid, uint Gid, IReadOnlyList<uint> Groups);

/// <param name="Pid">The child's pid, when <paramref name="Errno"/> is 0.</param>
/// <param name="Errno">Why the process could not be started (exec or set-up failure).</param>
/// <param name="Stage">The launch step that failed (protocol/Control/ExecStage.cs numbers).</param>
internal readonly record struct SpawnResult(int Pid, int Errno, ushort Stage)
{
    public bool Succeeded => Errno == 0;
}
