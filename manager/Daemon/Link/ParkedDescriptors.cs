using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Daemon.Link;

/// <summary>
/// Descriptors the manager parks with tinyinit (protocol/InitLink/README.md, "Parked
/// descriptors") so that a manager killed with -9 loses no readiness and no output: a
/// duplicate of each such descriptor lives in tinyinit under a key until it is released, and
/// tinyinit hands every one back to the next manager right after its Hello.
///
/// Keys are unique among the descriptors tinyinit holds: across a planned hand-over the next
/// key and the live keys travel in the hand-over record (<see cref="Restore"/>); after a crash
/// the keys tinyinit hands back say which are in use. Descriptors handed back are offered to
/// whoever rebuilds the state (<see cref="TryTake"/>); once start-up is done, those nobody
/// took are closed and released (<see cref="ReleaseUntaken"/>).
/// </summary>
internal sealed class ParkedDescriptors
{
    private readonly Action<string> _onProblem;
    private readonly HashSet<int> _live = [];
    private readonly Dictionary<int, int> _handedBack = [];
    private InitLinkClient? _link;
    private bool _reportedFailure;
    private bool _reportedRefusal;

    public ParkedDescriptors(Action<string> onProblem) => _onProblem = onProblem;

    /// <summary>The key the next park will use (for the hand-over record).</summary>
    public int NextKey { get; private set; } = 1;

    /// <summary>Keys tinyinit holds a descriptor for on this manager's behalf (for the hand-over record).</summary>
    public IReadOnlyCollection<int> LiveKeys => _live;

    /// <summary>tinyinit said it has handed back everything it held (ParkedFd 0).</summary>
    public bool HandBackComplete { get; private set; }

    /// <summary>Keys of descriptors handed back and not yet taken.</summary>
    public IReadOnlyCollection<int> UntakenKeys => _handedBack.Keys;

    internal void Attach(InitLinkClient link)
    {
        _link = link;
        HandBackComplete = false;
    }

    internal void Detach() => _link = null;

    /// <summary>A successor of a planned hand-over: the predecessor's keys are still parked and still ours.</summary>
    public void Restore(int nextKey, IEnumerable<int> liveKeys)
    {
        foreach (var key in liveKeys)
            if (key > 0) _live.Add(key);
        NextKey = Math.Max(NextKey, nextKey);
        foreach (var key in _live) NextKey = Math.Max(NextKey, key + 1);
    }

    /// <summary>
    /// Parks a duplicate of <paramref name="fd"/> (the caller keeps its own). Returns the key, or
    /// -1 when there is no link to tinyinit or sending failed (logged once).
    /// </summary>
    public int Park(int fd)
    {
        if (_link is not { IsOpen: true } link || fd < 0) return -1;
        var key = NextKey;
        if (!link.TrySend(LinkMessage.ParkFd(key), fd, out var errno))
        {
            ReportOnce($"cannot park descriptors with tinyinit (sending failed: {Libc.StrError(errno)}); a manager crash may lose readiness or output");
            return -1;
        }
        NextKey = key == int.MaxValue ? 1 : key + 1;
        _live.Add(key);
        return key;
    }

    /// <summary>tinyinit closes its copy; a copy handed back to us and never taken is closed too.</summary>
    public void Release(int key)
    {
        if (key <= 0) return;
        if (_handedBack.Remove(key, out var fd)) Libc.close(fd);
        if (!_live.Remove(key)) return;
        _reportedRefusal = false;
        if (_link is { IsOpen: true } link) link.TrySend(LinkMessage.ReleaseFd(key), -1, out _);
    }

    /// <summary>
    /// The descriptor tinyinit handed back under <paramref name="key"/>; the caller owns it from
    /// now on and must <see cref="Release"/> the key when it closes it.
    /// </summary>
    public bool TryTake(int key, out int fd)
    {
        if (!_handedBack.Remove(key, out fd)) return false;
        _live.Add(key);
        return true;
    }

    /// <summary>Start-up is done: descriptors handed back that nobody took are closed, and released in tinyinit.</summary>
    public void ReleaseUntaken()
    {
        foreach (var (key, fd) in _handedBack.ToArray())
        {
            _handedBack.Remove(key);
            Libc.close(fd);
            if (_link is { IsOpen: true } link) link.TrySend(LinkMessage.ReleaseFd(key), -1, out _);
        }
    }

    /// <summary>ParkedFd from tinyinit: a descriptor parked before this manager (or this image) started.</summary>
    internal void HandedBack(int key, int fd)
    {
        NextKey = Math.Max(NextKey, key == int.MaxValue ? key : key + 1);
        // Keys still ours across a planned hand-over come back too: we already hold that descriptor.
        if (_live.Contains(key) || _handedBack.ContainsKey(key))
        {
            Libc.close(fd);
            return;
        }
        _handedBack[key] = fd;
    }

    internal void HandBackEnded() => HandBackComplete = true;

    /// <summary>ReleaseFd from tinyinit: it refused to park this key (its table is full, or the key was in use).</summary>
    internal void Refused(int key)
    {
        // A refusal meant for a predecessor (queued while it died) concerns no key of ours.
        if (!_live.Remove(key) || _reportedRefusal) return;
        _reportedRefusal = true;   // once until something is released: a full table refuses every park
        _onProblem($"tinyinit refused to park descriptor {key} (its table is full); a manager crash may lose readiness or output");
    }

    private void ReportOnce(string problem)
    {
        if (_reportedFailure) return;
        _reportedFailure = true;
        _onProblem(problem);
    }
}
