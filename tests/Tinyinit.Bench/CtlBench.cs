namespace Tinyinit.Bench;

/// <summary>
/// tinyctl as a short-lived process (issue 8): size of the published AOT binary, and the wall
/// time of <c>tinyctl --version</c>, <c>tinyctl status boot</c> against a booted manager and a
/// <c>list</c> whose connect fails, next to a NativeAOT hello-world built with the same settings
/// and /bin/true. The commands rotate within each iteration, so load on a shared machine hits
/// all of them alike; every one is spawned the same way (<see cref="PosixSpawn"/>). Figures are
/// medians; the target is tinyctl within 1.15× of the hello-world. TINYINIT_BIN_DIR overrides
/// the binary directory; TINYCTL_BENCH_BEFORE names an older tinyctl to rotate in as well, for
/// before/after figures from one run.
/// </summary>
public sealed class CtlBench : IBenchmarkGroup
{
    private const double TargetRatio = 1.15;

    public string Title => "tinyctl";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var directory = Environment.GetEnvironmentVariable("TINYINIT_BIN_DIR") is { Length: > 0 } overridden ? overridden : context.BinDirectory;
        var tinyctl = Path.Combine(directory, "tinyctl");
        if (!File.Exists(tinyctl)) yield break;
        yield return new BenchRow("tinyctl binary size", new FileInfo(tinyctl).Length / 1024.0, "KiB");

        var hello = HelloAotBaseline.Publish(directory);
        using var system = File.Exists(Path.Combine(directory, "tinyinit")) && File.Exists(Path.Combine(directory, "tinyinitd"))
            ? BootedSystem.Start(directory)
            : null;
        var missing = Path.Combine(Path.GetTempPath(), $"tinyctl-bench-{Environment.ProcessId}.socket");
        var version = new Command("tinyctl --version", tinyctl, ["--version"]);
        var helloWorld = hello == null ? null : new Command("hello-world, NativeAOT as tinyctl", hello, []);
        var status = system == null ? null : new Command("tinyctl status boot (booted manager)", tinyctl, ["-p", system.SocketPath, "status", "boot"]);
        var commands = new List<Command>
        {
            new("/bin/true (spawn baseline)", "/bin/true", []),
            version,
            new("tinyctl list, no daemon", tinyctl, ["-p", missing, "list"], ExpectedStatus: 1),
        };
        if (helloWorld != null) commands.Add(helloWorld);
        if (status != null) commands.Add(status);
        var before = Environment.GetEnvironmentVariable("TINYCTL_BENCH_BEFORE") is { Length: > 0 } b && File.Exists(b) ? b : null;
        var beforeVersion = before == null ? null : new Command("before: tinyctl --version", before, ["--version"]);
        var beforeStatus = before == null || system == null ? null : new Command("before: tinyctl status boot", before, ["-p", system.SocketPath, "status", "boot"]);
        if (beforeVersion != null) commands.Add(beforeVersion);
        if (beforeStatus != null) commands.Add(beforeStatus);

        var runs = context.Quick ? 20 : 1000;
        var times = commands.ToDictionary(c => c, _ => new List<double>(runs));
        foreach (var c in commands) PosixSpawn.Time(c.Path, c.Args); // page cache, not first-run costs
        for (var i = 0; i < runs; i++)
        {
            foreach (var c in commands)
            {
                var (ms, exitStatus) = PosixSpawn.Time(c.Path, c.Args);
                if (exitStatus != c.ExpectedStatus) throw new InvalidOperationException($"{c.Name}: exit status {exitStatus}");
                times[c].Add(ms);
            }
        }

        foreach (var c in commands)
            yield return new BenchRow($"wall: {c.Name} (median of {runs})", Median(times[c]), "ms", $"p10 {Percentile(times[c], 10):0.##} p90 {Percentile(times[c], 90):0.##} ms");
        if (helloWorld == null) yield break;
        var helloMedian = Median(times[helloWorld]);
        yield return new BenchRow("ratio: tinyctl --version / hello-world", Median(times[version]) / helloMedian, "x", $"target <= {TargetRatio}");
        if (status != null)
            yield return new BenchRow("ratio: tinyctl status boot / hello-world", Median(times[status]) / helloMedian, "x", $"target <= {TargetRatio}");
        if (beforeVersion != null)
            yield return new BenchRow("ratio: before --version / hello-world", Median(times[beforeVersion]) / helloMedian, "x");
        if (beforeStatus != null)
            yield return new BenchRow("ratio: before status boot / hello-world", Median(times[beforeStatus]) / helloMedian, "x");
    }

    private static double Median(List<double> values) => Percentile(values, 50);

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, sorted.Count * percent / 100)];
    }

    private sealed record Command(string Name, string Path, string[] Args, int ExpectedStatus = 0);
}
