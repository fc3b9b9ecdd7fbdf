namespace Tinyinit.Protocol.Control;

/// <summary>
/// What a <see cref="ControlSession"/> needs from the service manager. Implemented by the daemon
/// over its engine (and by fakes in tests). Services are opaque objects owned by the backend,
/// compared by reference.
///
/// Ordering contract: every service event a call causes synchronously (including those from
/// processing the engine's queues before returning) must be delivered through
/// <see cref="ControlHub.BroadcastServiceEvent"/> / <see cref="ControlSession.OnServiceEvent"/>
/// before the call returns; the session then queues the reply after them, as the spec requires
/// (control-protocol.md §1.1, §7.2). Events that happen later (process exits) simply follow.
/// </summary>
public interface IControlBackend
{
    /// <summary>A loaded, non-placeholder service by name, or null (never loads).</summary>
    object? FindService(string name);

    /// <summary>Finds or loads; on failure returns null and says why.</summary>
    object? LoadService(string name, out LoadFailure failure);

    ServiceStatus GetStatus(object service);

    /// <summary>Full name including any <c>@argument</c>.</summary>
    string GetName(object service);

    /// <summary>Every loaded non-placeholder service in record order (LISTSERVICES).</summary>
    IEnumerable<object> AllServices();

    /// <summary>START (§6.4): Ack, AlreadyInState, PinnedStopped or ShuttingDown.</summary>
    ReplyCode Start(object service, bool pin);

    /// <summary>STOP without restart (§6.4): Ack, AlreadyInState, PinnedStarted, or Dependents (fill <paramref name="dependents"/>; nothing else done).</summary>
    ReplyCode Stop(object service, bool pin, bool gentle, out IReadOnlyList<object> dependents);

    /// <summary>STOP with the restart bit (§6.4): Ack, AlreadyInState, Nak (not started), ShuttingDown, PinnedStarted or Dependents.</summary>
    ReplyCode Restart(object service, bool gentle, out IReadOnlyList<object> dependents);

    /// <summary>WAKE (§6.4): Ack, AlreadyInState, Nak, PinnedStopped or ShuttingDown.</summary>
    ReplyCode Wake(object service, bool pin);

    /// <summary>RELEASE (§6.4): Ack or AlreadyInState.</summary>
    ReplyCode Release(object service, bool pin);

    /// <summary>UNPIN (§6.5): removes both pins and processes queues.</summary>
    void Unpin(object service);

    /// <summary>
    /// UNLOAD (§6.5) once the session has checked that no other connection listens: true if the
    /// service was STOPPED with no dependents except ordering links, and is now unloaded.
    /// </summary>
    bool Unload(object service);

    /// <summary>RELOAD (§6.5) once no other connection listens: true on success, false on a load error.</summary>
    bool Reload(object service);

    /// <summary>SHUTDOWN (§6.6): begin (or retarget) stopping everything.</summary>
    void Shutdown(ShutdownType type);

    /// <summary>ADD_DEP (§6.7, checks 3–5): false for a contradicting state or a cycle.</summary>
    bool AddDependency(object from, object to, DependencyType type);

    /// <summary>REM_DEP (§6.7): false if no such link.</summary>
    bool RemoveDependency(object from, object to, DependencyType type);

    /// <summary>ENABLESERVICE / ENABLE_SERVICE_V7 (§6.7, checks 3–6); <paramref name="existed"/> when the link was already there.</summary>
    bool EnableDependency(object from, object to, DependencyType type, out bool existed);

    LoaderMechanism QueryLoadMechanism();

    /// <summary>The directory the description was found in, as configured; null → NAK.</summary>
    string? GetServiceDirectory(object service);

    /// <summary>SETTRIGGER (§6.11): false if the service is not of type triggered.</summary>
    bool SetTrigger(object service, bool value);

    /// <summary>CATLOG (§6.11): the buffered log (cleared afterwards if asked), or null if the service does not buffer output.</summary>
    byte[]? CatLog(object service, bool clear);

    /// <summary>SIGNAL (§6.11): Ack, SignalNoPid, SignalBadSignal or SignalKillError.</summary>
    ReplyCode Signal(object service, int signal);

    /// <summary>SETENV (§6.8): sets (value non-null) or unsets a global variable; says whether it had a value before.
    /// False (nothing changed; the client gets BADREQ) when the name is not a valid variable name or the value holds NUL.</summary>
    bool SetEnvironment(string name, string? value, out bool hadValue);

    /// <summary>The global environment as <c>NAME=VALUE</c> strings (GETALLENV).</summary>
    IEnumerable<string> GetEnvironment();

    /// <summary>
    /// tinyinit's RESTARTMANAGER: true when the manager will hand over to <paramref name="executablePath"/>
    /// (null: its own executable) once the reply is flushed; false with the reason it refuses.
    /// </summary>
    bool RestartManager(string? executablePath, out string reason)
    {
        reason = "this manager cannot hand over";
        return false;
    }

    /// <summary>tinyinit's MANAGERSTATUS; null when this manager does not say (NAK).</summary>
    ManagerStatusInfo? ManagerStatus() => null;

    /// <summary>tinyinit's NOTIFYSTATUS: the service's last sd_notify STATUS= text ("" when none).</summary>
    string NotifyStatus(object service) => "";

    /// <summary>
    /// tinyinit's REOPENLOG: true when the service's log file was closed and opened again (or is
    /// not open now: it is opened at the next start), false with the reason it could not be
    /// opened, null when the service does not log to a file (NAK).
    /// </summary>
    bool? ReopenLog(object service, out string reason)
    {
        reason = "";
        return null;
    }

    /// <summary>
    /// tinyinit's REEXECINIT: true when the request was passed to PID 1 (which re-executes
    /// <paramref name="executablePath"/>, null: its own executable); false with the reason it cannot be.
    /// </summary>
    bool ReexecInit(string? executablePath, out string reason)
    {
        reason = "this manager cannot pass requests to PID 1";
        return false;
    }
}
