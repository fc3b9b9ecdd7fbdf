using System.Diagnostics;
using Tinyinit.Loader;

namespace Tinyinit.Bench;

/// <summary>
/// The service-description loader (issue 3): time to load 1,000, 10,000 and 100,000 services,
/// as one service depending on all the others (wide) and as one depends-on chain (deep), and
/// the memory the loaded descriptions take (process RSS growth and managed heap).
/// </summary>
public sealed class LoaderBench : IBenchmarkGroup
{
    public string Title => "loader";

    private const string ServiceText = "type = process\ncommand = /bin/sleep 1000 --flag \"quoted arg\"\nrestart = false\nstop-timeout = 5\n";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        int[] sizes = context.Quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
        foreach (var shape in new[] { "wide", "deep" })
            foreach (var n in sizes)
                foreach (var row in Measure(shape, n)) yield return row;
    }

    private static IEnumerable<BenchRow> Measure(string shape, int n)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tinyinit-loaderbench-{shape}-{n}-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            Write(dir, shape, n);
            var loader = new ServiceLoader(new LoaderOptions { ServiceDirectories = [dir] });
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var rssBefore = RssKiB();
            var heapBefore = GC.GetTotalMemory(true);
            var sw = Stopwatch.StartNew();
            var outcome = loader.Load("root", _ => false);
            var elapsed = sw.Elapsed;
            if (outcome.Error != null) throw new InvalidOperationException(string.Join("; ", outcome.Error.LogLines));
            if (outcome.Services.Count != n + 1) throw new InvalidOperationException($"loaded {outcome.Services.Count} services, expected {n + 1}");
            var heapAfter = GC.GetTotalMemory(true);
            var rssAfter = RssKiB();
            var label = $"load {n:N0} services ({shape}{(shape == "wide" ? ": one needs all" : ": depends-on chain")})";
            yield return new BenchRow(label, elapsed.TotalMilliseconds, "ms", $"{elapsed.TotalMilliseconds * 1000 / (n + 1):0.0} µs/service");
            yield return new BenchRow($"  RSS growth after loading ({shape}, {n:N0})", (rssAfter - rssBefore) / 1024.0, "MiB", $"VmRSS now {rssAfter / 1024.0:0} MiB");
            yield return new BenchRow($"  managed heap held by descriptions ({shape}, {n:N0})", (heapAfter - heapBefore) / 1024.0 / 1024.0, "MiB",
                $"{(heapAfter - heapBefore) / (double)(n + 1):0} B/service");
            GC.KeepAlive(outcome);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static void Write(string dir, string shape, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var next = shape == "deep" && i + 1 < n ? $"depends-on: s{i + 1}\n" : "";
            File.WriteAllText(Path.Combine(dir, $"s{i}"), ServiceText + next);
        }
        var root = shape == "deep"
            ? "depends-on: s0\n"
            : string.Concat(Enumerable.Range(0, n).Select(i => $"depends-on: s{i}\n"));
        File.WriteAllText(Path.Combine(dir, "root"), root);
    }

    private static long RssKiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return 0;
    }
}
