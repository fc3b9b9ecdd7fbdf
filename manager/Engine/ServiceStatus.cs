namespace Tinyinit.Engine;

/// <summary>
/// The status announcements of semantics.md §2.4: the daemon writes the console line
/// (<c>[  OK  ]</c>, <c>[FAILED]</c>, <c>[STOPPD]</c>) and the matching main-log line.
/// </summary>
public enum ServiceStatus
{
    /// <summary><c>[  OK  ] name</c>; main log "service name started."</summary>
    Started,
    /// <summary><c>[FAILED] name</c> at ERROR; main log "service name failed to start."</summary>
    FailedToStart,
    /// <summary><c>[FAILED] name</c> at WARN: only a dependency failed.</summary>
    DependencyFailed,
    /// <summary><c>[STOPPD] name</c>; main log "service name stopped."</summary>
    Stopped,
}
