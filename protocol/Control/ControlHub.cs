namespace Tinyinit.Protocol.Control;

/// <summary>
/// The set of live control sessions of one daemon. Sessions register on construction and
/// unregister on <see cref="ControlSession.Close"/>. The daemon reports every service event and
/// every service removal here once; the hub fans out to the sessions. Sessions use it to learn
/// whether another connection listens to a service (UNLOAD/RELOAD, §6.5) and to broadcast
/// ENVEVENTs (§6.8). Single-threaded, like the daemon's event loop.
/// </summary>
public sealed class ControlHub
{
    private readonly List<ControlSession> _sessions = [];

    public IReadOnlyList<ControlSession> Sessions => _sessions;

    internal void Add(ControlSession session) => _sessions.Add(session);

    internal void Remove(ControlSession session) => _sessions.Remove(session);

    /// <summary>Call for every service event; each session sends packets for the handles it holds.</summary>
    public void BroadcastServiceEvent(object service, ServiceEventCode serviceEvent)
    {
        // A copy: a session that overflows closes and unregisters while we iterate.
        foreach (var session in _sessions.ToArray()) session.OnServiceEvent(service, serviceEvent);
    }

    /// <summary>Call when a global variable changed; <paramref name="assignment"/> is <c>NAME=VALUE</c> or <c>NAME</c> (no NUL).</summary>
    public void BroadcastEnvironmentEvent(ReadOnlySpan<byte> assignment, bool hadValue)
    {
        foreach (var session in _sessions.ToArray()) session.OnEnvironmentEvent(assignment, hadValue);
    }

    /// <summary>Call when the daemon discards a service object by other means: every session forgets its handles for it.</summary>
    public void ForgetService(object service)
    {
        foreach (var session in _sessions.ToArray()) session.ForgetService(service);
    }

    internal bool AnyOtherListens(object service, ControlSession except)
    {
        foreach (var session in _sessions)
            if (session != except && session.HoldsHandleFor(service)) return true;
        return false;
    }
}
