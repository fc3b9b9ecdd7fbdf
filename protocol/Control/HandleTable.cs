namespace Tinyinit.Protocol.Control;

/// <summary>
/// One connection's handles (control-protocol.md §4): a new handle per find/load/dependent,
/// always the smallest integer not in use, and a reverse map so events reach every handle of
/// a service. Services are compared by reference.
/// </summary>
internal sealed class HandleTable
{
    private readonly Dictionary<uint, object> _services = [];
    private readonly Dictionary<object, List<uint>> _handles = new(ReferenceEqualityComparer.Instance);
    private readonly SortedSet<uint> _released = [];
    private uint _next;

    public int Count => _services.Count;

    public uint Allocate(object service)
    {
        uint handle;
        if (_released.Count > 0)
        {
            handle = _released.Min;
            _released.Remove(handle);
        }
        else handle = _next++;
        _services[handle] = service;
        if (!_handles.TryGetValue(service, out var list)) _handles[service] = list = [];
        list.Add(handle);
        return handle;
    }

    public object? Find(uint handle) => _services.GetValueOrDefault(handle);

    /// <summary>Handles of a service, oldest first; empty if none.</summary>
    public IReadOnlyList<uint> HandlesOf(object service) =>
        _handles.TryGetValue(service, out var list) ? list : [];

    public bool Holds(object service) => _handles.ContainsKey(service);

    public void Release(uint handle)
    {
        if (!_services.Remove(handle, out var service)) return;
        var list = _handles[service];
        list.Remove(handle);
        if (list.Count == 0) _handles.Remove(service);
        ReturnToPool(handle);
    }

    /// <summary>Drops every handle of the service (UNLOAD/RELOAD; see §9.1, no dangling handles).</summary>
    public void ReleaseAll(object service)
    {
        if (!_handles.Remove(service, out var list)) return;
        foreach (var handle in list)
        {
            _services.Remove(handle);
            ReturnToPool(handle);
        }
    }

    public void Clear()
    {
        _services.Clear();
        _handles.Clear();
        _released.Clear();
        _next = 0;
    }

    private void ReturnToPool(uint handle)
    {
        _released.Add(handle);
        // Keep the pool small: trailing released handles merge back into the counter.
        while (_next > 0 && _released.Contains(_next - 1))
        {
            _released.Remove(_next - 1);
            _next--;
        }
    }
}
