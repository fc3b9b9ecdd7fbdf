using System.Diagnostics;
using Tinyinit.Engine;
using Tinyinit.Loader;

namespace Tinyinit.Bench;

/// <summary>
/// Engine time to start and to stop N internal services, wide (one service needing N others)
/// and deep (a chain N long), over a system layer that does nothing. Loading is not timed.
/// Reference: Dinit takes 45 ms to start 1,000 wide internal services and cannot load a chain
/// deeper than 32.
/// </summary>
public sealed class EngineBench : IBenchmarkGroup
{
    private const double ReferenceStart1000WideMs = 45;

    public string Title => "engine";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        int repeats = context.Quick ? 1 : 5;
        // Let tiered compilation settle so the small cases measure the engine, not the JIT.
        for (int i = 0; i < (context.Quick ? 1 : 40); i++)
        {
            Measure("wide", 1_000);
            Measure("deep", 1_000);
        }
        foreach (var (shape, n) in new[] { ("wide", 1_000), ("wide", 10_000), ("deep", 10_000), ("wide", 100_000), ("deep", 100_000) })
        {
            var starts = new List<double>();
            var stops = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                var (start, stop) = Measure(shape, n);
                starts.Add(start);
                stops.Add(stop);
            }
            yield return new BenchRow($"engine start {n:N0} internal ({shape})", Median(starts), "ms", StartComparison(shape, n, Median(starts)));
            yield return new BenchRow($"engine stop {n:N0} internal ({shape})", Median(stops), "ms", shape == "deep" ? "reference: cannot load (depth > 32)" : "");
        }
    }

    private static string StartComparison(string shape, int n, double ms)
    {
        if (shape == "deep") return "reference: cannot load (depth > 32)";
        // The reference's per-service cost at 1,000 is the most favourable figure for it.
        double reference = ReferenceStart1000WideMs * n / 1_000;
        string basis = n == 1_000 ? "measured" : "scaled linearly from 1,000";
        return $"reference {reference:0} ms ({basis}): {reference / Math.Max(ms, 0.001):0.#}x faster";
    }

    private static (double StartMs, double StopMs) Measure(string shape, int n)
    {
        var set = new ServiceSet(new NullSystem());
        set.Install(shape == "wide" ? Wide(n) : Deep(n));
        var top = set.Find("top")!;
        GC.Collect();
        var watch = Stopwatch.StartNew();
        set.Start(top, pin: false);
        double start = watch.Elapsed.TotalMilliseconds;
        if (set.ActiveCount != n + 1) throw new InvalidOperationException($"started {set.ActiveCount} of {n + 1}");
        watch.Restart();
        set.Release(top, pin: false);
        double stop = watch.Elapsed.TotalMilliseconds;
        if (set.ActiveCount != 0) throw new InvalidOperationException($"{set.ActiveCount} still active");
        return (start, stop);
    }

    private static List<ServiceDescription> Wide(int n)
    {
        var batch = new List<ServiceDescription>(n + 1);
        var deps = new List<DependencySpec>(n);
        for (int i = 0; i < n; i++)
        {
            batch.Add(new ServiceDescription { Name = $"s{i}" });
            deps.Add(new DependencySpec($"s{i}", DependencyType.Regular));
        }
        batch.Add(new ServiceDescription { Name = "top", Dependencies = deps });
        return batch;
    }

    private static List<ServiceDescription> Deep(int n)
    {
        var batch = new List<ServiceDescription>(n + 1);
        for (int i = 0; i < n; i++)
            batch.Add(new ServiceDescription { Name = $"s{i}", Dependencies = i == 0 ? [] : [new DependencySpec($"s{i - 1}", DependencyType.Regular)] });
        batch.Add(new ServiceDescription { Name = "top", Dependencies = [new DependencySpec($"s{n - 1}", DependencyType.Regular)] });
        return batch;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>Internal services never reach the outside world; everything is a no-op.</summary>
    private sealed class NullSystem : ISystem
    {
        public TimeSpan Now => TimeSpan.Zero;
        public void ArmTimer(ServiceRecord service, TimeSpan dueAt) { }
        public void CancelTimer(ServiceRecord service) { }
        public int Spawn(ServiceRecord service, CommandKind kind, out string failedStage) { failedStage = "not supported"; return -38; }
        public void Signal(ServiceRecord service, int pid, int signal, bool processGroup) { }
        public int? ReadPidFile(ServiceRecord service, out string error) { error = "not supported"; return null; }
        public PidState QueryPid(int pid, out int rawWaitStatus) { rawWaitStatus = 0; return PidState.Invalid; }
        public string? WhyNotServiceProcess(ServiceRecord service, int pid) => null;
        public string DescribeError(int errno) => $"errno {errno}";
        public void Log(Tinyinit.Engine.LogLevel level, string message) { }
        public void ServiceStatusLine(ServiceRecord service, ServiceStatus status) { }
        public void ConsoleOwnerChanged(ServiceRecord? owner) { }
        public bool OpenActivationSocket(ServiceRecord service) => true;
        public void CloseActivationSocket(ServiceRecord service) { }
        public bool BeginKillAll() => false;
        public void FinishKillAll() { }
        public ServiceRecord? LoadService(string name, out string error) { error = "not supported"; return null; }
        public void RootFilesystemWritable() { }
        public void MainLogAvailable() { }
    }
}
