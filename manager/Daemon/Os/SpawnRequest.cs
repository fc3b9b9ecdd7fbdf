namespace Tinyinit.Daemon.Os;

/// <summary>What to run and with which descriptors; the launcher adds nothing of its own.</summary>
internal sealed class SpawnRequest
{
    public required IReadOnlyList<string> Argv { get; init; }
    /// <summary>NAME=VALUE entries of the child's whole environment.</summary>
    public required IReadOnlyList<string> Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>Start a new session (and process group): signals then reach the whole group.</summary>
    public bool NewSession { get; init; } = true;
    /// <summary>Append LISTEN_PID=&lt;the child's own pid&gt; to the environment (socket activation).</summary>
    public bool SetListenPid { get; init; }
    /// <summary>(source fd in the manager, target fd in the child) pairs, applied in order.</summary>
    public IReadOnlyList<(int Source, int Target)> FdMappings { get; init; } = [];
}

/// <param name="Pid">The child's pid, when <paramref name="Errno"/> is 0.</param>
/// <param name="Errno">Why the process could not be started (exec or set-up failure).</param>
/// <param name="ChdirFailed">The failure happened changing to the working directory.</param>
internal readonly record struct SpawnResult(int Pid, int Errno, bool ChdirFailed)
{
    public bool Succeeded => Errno == 0;
}
