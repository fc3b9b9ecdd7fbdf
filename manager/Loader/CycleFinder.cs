namespace Tinyinit.Loader;

/// <summary>One step of a cycle: the service and the link type that leads to the next one.</summary>
public readonly record struct CycleStep(string Service, DependencyType Via);

/// <summary>
/// Finds a cycle in the "must start after" graph: an edge A → B for every dependency of A on B
/// (all four types) and every <c>after: B</c> of A, and an edge B → A for every <c>before: B</c>
/// of A. Iterative depth-first search (no recursion: 100,000-deep chains are fine), O(V+E).
/// </summary>
public static class CycleFinder
{
    /// <param name="roots">Services to start from, in order.</param>
    /// <param name="find">The description of a service, or null when it is not known (a leaf).</param>
    /// <returns>The first cycle found (its first service not repeated at the end), or null.</returns>
    public static IReadOnlyList<CycleStep>? Find(IEnumerable<string> roots, Func<string, ServiceDescription?> find)
    {
        // Collect the reachable services first, so that before-links (stored on the other end)
        // can be turned into edges of their targets.
        var nodes = new Dictionary<string, ServiceDescription?>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var r in roots)
            if (nodes.TryAdd(r, find(r))) queue.Enqueue(r);
        while (queue.Count > 0)
        {
            var d = nodes[queue.Dequeue()];
            if (d == null) continue;
            foreach (var dep in d.Dependencies)
                if (nodes.TryAdd(dep.Name, find(dep.Name))) queue.Enqueue(dep.Name);
        }
        var edges = new Dictionary<string, List<CycleStep>>(StringComparer.Ordinal);
        void AddEdge(string from, string to, DependencyType via)
        {
            if (!edges.TryGetValue(from, out var list)) edges[from] = list = [];
            list.Add(new CycleStep(to, via));
        }
        foreach (var (name, d) in nodes)
        {
            if (d == null) continue;
            foreach (var dep in d.Dependencies)
            {
                if (dep.Type == DependencyType.Before) AddEdge(dep.Name, name, DependencyType.Before);
                else AddEdge(name, dep.Name, dep.Type);
            }
        }
        return FindInGraph(nodes.Keys, edges);
    }

    private static IReadOnlyList<CycleStep>? FindInGraph(IEnumerable<string> order, Dictionary<string, List<CycleStep>> edges)
    {
        var color = new Dictionary<string, byte>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var path = new List<(string Node, int NextEdge, DependencyType Via)>();
        var positionOnPath = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var start in order)
        {
            if (color.ContainsKey(start)) continue;
            path.Add((start, 0, default));
            positionOnPath[start] = 0;
            color[start] = 1;
            while (path.Count > 0)
            {
                var (node, next, via) = path[^1];
                var list = edges.TryGetValue(node, out var l) ? l : null;
                if (list == null || next >= list.Count)
                {
                    color[node] = 2;
                    positionOnPath.Remove(node);
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                path[^1] = (node, next + 1, via);
                var edge = list[next];
                if (color.TryGetValue(edge.Service, out var c))
                {
                    if (c != 1) continue;
                    var at = positionOnPath[edge.Service];
                    var cycle = new List<CycleStep>();
                    for (var i = at; i < path.Count; i++)
                    {
                        var via2 = i + 1 < path.Count ? path[i + 1].Via : edge.Via;
                        cycle.Add(new CycleStep(path[i].Node, via2));
                    }
                    return cycle;
                }
                color[edge.Service] = 1;
                positionOnPath[edge.Service] = path.Count;
                path.Add((edge.Service, 0, edge.Via));
            }
        }
        return null;
    }
}
