namespace Tinyinit.Daemon.Core;

/// <summary>
/// Wait statuses of reaped children that no service owned at the time (a bgprocess daemon's
/// real pid before its pid file is read, orphans forwarded by tinyinit). The engine asks for
/// them later (<c>QueryPid</c>); the book is bounded so a storm of orphans cannot grow it
/// without limit — the oldest entries are forgotten first.
/// </summary>
internal sealed class ExitStatusBook
{
    private readonly int _capacity;
    private readonly Dictionary<int, int> _statusByPid = new();
    private readonly Queue<int> _order = new();

    public ExitStatusBook(int capacity = 4096) => _capacity = capacity;

    public int Count => _statusByPid.Count;

    public void Record(int pid, int waitStatus)
    {
        if (_statusByPid.TryAdd(pid, waitStatus)) _order.Enqueue(pid);
        else _statusByPid[pid] = waitStatus;
        while (_statusByPid.Count > _capacity && _order.TryDequeue(out var oldest)) _statusByPid.Remove(oldest);
    }

    /// <summary>Every recorded status, oldest first (handed to a successor manager).</summary>
    public IEnumerable<(int Pid, int WaitStatus)> Entries() =>
        _order.Where(_statusByPid.ContainsKey).Distinct().Select(pid => (pid, _statusByPid[pid]));

    /// <summary>Returns and forgets the status of <paramref name="pid"/>, if it was recorded.</summary>
    public bool TryTake(int pid, out int waitStatus) => _statusByPid.Remove(pid, out waitStatus);
}
