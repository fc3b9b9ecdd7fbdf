namespace Tinyinit.Integration.Tests.Harness;

/// <summary>One process as /proc shows it from the host.</summary>
public sealed record ProcInfo(int HostPid, int HostParentPid, int[] NamespacePids, string Name, char State, string CommandLine)
{
    /// <summary>The pid seen inside the innermost PID namespace.</summary>
    public int InnerPid => NamespacePids[^1];
}

/// <summary>Reads /proc on the host to see processes inside a test's PID namespace.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<ProcInfo> Snapshot()
    {
        var result = new List<ProcInfo>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                string Field(string key) => status.FirstOrDefault(l => l.StartsWith(key + ":"))?[(key.Length + 1)..].Trim() ?? "";
                var nspids = Field("NSpid").Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                result.Add(new ProcInfo(pid, int.Parse(Field("PPid")), nspids, Field("Name"), Field("State").FirstOrDefault('?'), cmdline));
            }
            catch (IOException) { }          // the process went away while we looked
            catch (UnauthorizedAccessException) { }
            catch (FormatException) { }
        }
        return result;
    }

    /// <summary>Every process whose ancestry leads to <paramref name="rootHostPid"/> (inclusive).</summary>
    public static IReadOnlyList<ProcInfo> Descendants(int rootHostPid)
    {
        var all = Snapshot();
        var byParent = all.ToLookup(p => p.HostParentPid);
        var found = new List<ProcInfo>();
        var work = new Stack<int>();
        var root = all.FirstOrDefault(p => p.HostPid == rootHostPid);
        if (root == null) return found;
        found.Add(root);
        work.Push(rootHostPid);
        while (work.Count > 0)
            foreach (var child in byParent[work.Pop()])
            {
                found.Add(child);
                work.Push(child.HostPid);
            }
        return found;
    }
}
