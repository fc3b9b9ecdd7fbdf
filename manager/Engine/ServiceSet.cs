using Tinyinit.Loader;

namespace Tinyinit.Engine;

/// <summary>
/// The service engine: every loaded service, the activation model of semantics.md §3 and the
/// state machine of §2, driven by control commands and by inputs from the operating system.
///
/// Overview and constraints:
/// * Pure logic. Everything outside (processes, clock, timers, console, logging) goes through
///   <see cref="ISystem"/>, so the whole engine runs under test with a fake system.
/// * Two-phase processing (§3.2): a propagation stack and a transition stack, both intrusive in
///   the records (LIFO like the reference, no allocation, a service at most once in each). The
///   propagation stack is drained completely before each single transition.
/// * No recursion over the graph: every operation touches only a service and its direct links
///   and pushes further work onto the stacks, so any graph depth works.
/// * Every public command and input processes the queues before returning, so the events it
///   causes are raised before the caller replies (control-protocol.md §7.2). Launch outcomes
///   are the exception: they wait for <see cref="CompleteLaunches"/> on a later loop turn, so
///   their events follow the reply.
/// * Single-threaded: the daemon calls in from its event loop only.
/// * Manager hand-over: <see cref="Serialize(Func{ServiceRecord, ReadOnlySpan{byte}})"/> writes the
///   whole run-time state, <see cref="Restore"/> rebuilds it in a new set (Snapshot.md).
/// </summary>
public sealed partial class ServiceSet
{
    private readonly ISystem system;
    private readonly Dictionary<string, ServiceRecord> byName = new(StringComparer.Ordinal);
    private readonly List<ServiceRecord> inOrder = [];
    private readonly Dictionary<int, ServiceRecord> byPid = [];

    private ServiceRecord? propagationHead;
    private ServiceRecord? transitionHead;
    private int processingDepth;
    private int activeCount;
    private bool allStoppedPending;
    private int visitGeneration;

    public ServiceSet(ISystem system) => this.system = system;

    /// <summary>Raised for each state change in the order the spec requires (§2.2).</summary>
    public event Action<ServiceRecord, ServiceEvent>? ServiceEvent;

    /// <summary>Raised when the active-service count drops to 0 (§17.5), after queues settled.</summary>
    public event Action? AllServicesStopped;

    /// <summary>Services that have begun activating and have not become inactive again.</summary>
    public int ActiveCount => activeCount;

    public bool IsShuttingDown { get; private set; }
    public ShutdownType ShutdownType { get; private set; } = ShutdownType.None;

    /// <summary>Loaded services in creation order, without placeholders.</summary>
    public IEnumerable<ServiceRecord> Services
    {
        get
        {
            foreach (var record in inOrder)
                if (!record.IsPlaceholder) yield return record;
        }
    }

    /// <summary>A loaded service by full name; placeholders are not found.</summary>
    public ServiceRecord? Find(string name) =>
        byName.TryGetValue(name, out var record) && !record.IsPlaceholder ? record : null;

    /// <summary>A loaded service or placeholder by name (the loader needs to see placeholders).</summary>
    public ServiceRecord? FindIncludingPlaceholders(string name) => byName.GetValueOrDefault(name);

    /// <summary>True while work is queued; always false between calls (every call settles).</summary>
    public bool HasPendingWork => propagationHead != null || transitionHead != null;

    /// <summary>Processes both queues until empty. Public calls already do this; harmless to repeat.</summary>
    public void ProcessPending()
    {
        changeCount++;
        ProcessQueues();
    }

    private long changeCount;

    /// <summary>
    /// Grows with every input and command (including ones that turn out to change nothing):
    /// equal values mean the set is unchanged, so a caller that keeps a copy of its state (the
    /// manager's crash record) rewrites it only after turns that may have changed something.
    /// </summary>
    public long ChangeCount => changeCount;

    /// <summary>Every pid the set waits for (main, launcher and stop-command processes).</summary>
    public IEnumerable<int> SupervisedPids => byPid.Keys;

    /// <summary>
    /// A restored service that waits for readiness on a pipe that did not survive (the manager
    /// crashed): it keeps its start timeout if it has one; without one it would wait forever, so
    /// its start fails now as if the pipe had closed. Returns true when it failed.
    /// </summary>
    public bool ReadinessPipeLost(ServiceRecord service)
    {
        // sd_notify readiness comes through the manager's socket, which a crash does not lose.
        if (!service.awaitingReadiness || service.timer == TimerPurpose.StartTimeout || service.Description.UsesSdNotify) return false;
        ReadinessClosed(service);
        return true;
    }

    /// <summary>True when a stop of this service is held back by a start pin on it or on a
    /// (transitive) hard dependent (§5).</summary>
    public bool IsStartPinned(ServiceRecord service) => StartPinned(service);
}
