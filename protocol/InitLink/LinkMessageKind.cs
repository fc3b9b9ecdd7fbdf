namespace Tinyinit.Protocol.InitLink;

/// <summary>What a link message says; the first byte of every message.</summary>
public enum LinkMessageKind : byte
{
    /// <summary>Manager → init, once, when the manager is ready to receive events.</summary>
    Hello = 1,
    /// <summary>Init → manager: an orphan (not the manager) was reaped; carries pid and raw wait status.</summary>
    ChildExited = 2,
    /// <summary>Init → manager: PID 1 received a shutdown-type signal; carries the signal number.</summary>
    Signal = 3,
    /// <summary>Manager → init: every service is stopped; finish the shutdown of this type once the manager exits.</summary>
    Shutdown = 4,
    /// <summary>Init → manager: the event queue overflowed while no manager listened; carries how many events were lost.</summary>
    EventsLost = 5,
    // 6-8: reserved for parked descriptors.
    /// <summary>
    /// Manager → init (tinyctl reexec-init): re-execute PID 1 in place. Carries the length of the
    /// executable path that follows the 16 bytes in the same datagram (0: tinyinit's own path).
    /// </summary>
    ReexecInit = 9,
}
