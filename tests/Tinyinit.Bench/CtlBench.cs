using System.Diagnostics;

namespace Tinyinit.Bench;

/// <summary>
/// tinyctl as a short-lived process: size of the published AOT binary and the wall time of
/// commands that need no daemon (<c>--version</c>, and a <c>list</c> whose connect fails), each
/// the median of repeated runs. TINYINIT_BIN_DIR overrides the binary directory.
/// </summary>
public sealed class CtlBench : IBenchmarkGroup
{
    public string Title => "tinyctl";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var directory = Environment.GetEnvironmentVariable("TINYINIT_BIN_DIR") is { Length: > 0 } overridden ? overridden : context.BinDirectory;
        var path = Path.Combine(directory, "tinyctl");
        if (!File.Exists(path)) yield break;
        yield return new BenchRow("tinyctl binary size", new FileInfo(path).Length / 1024.0, "KiB");
        var runs = context.Quick ? 5 : 50;
        var (baseline, _) = WallTime("/bin/true", runs);
        yield return new BenchRow($"/bin/true wall time, spawn baseline (median of {runs})", baseline, "ms");
        var (median, p90) = WallTime(path, runs, "--version");
        yield return new BenchRow($"tinyctl --version wall time (median of {runs})", median, "ms", $"p90 {p90:0.##} ms; target < 5 ms");
        var missing = Path.Combine(Path.GetTempPath(), $"tinyctl-bench-{Environment.ProcessId}.socket");
        (median, p90) = WallTime(path, runs, "-p", missing, "list");
        yield return new BenchRow($"tinyctl list, no daemon (median of {runs})", median, "ms", $"p90 {p90:0.##} ms");
    }

    private static (double Median, double P90) WallTime(string path, int runs, params string[] args)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args) start.ArgumentList.Add(arg);
            var sw = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[runs / 2], times[Math.Min(runs - 1, runs * 9 / 10)]);
    }
}
