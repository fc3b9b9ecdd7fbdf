using System.Diagnostics;

namespace Tinyinit.Bench;

/// <summary>
/// The manager's own log under a console nobody reads (issue 13): a burst of status lines (one
/// per internal service started and stopped, twice: 100,004 with the full set) while the manager's
/// stdout is a pipe that is never read, against the same burst with stdout on /dev/null. The
/// console must cost the event loop nothing: lines that do not fit are dropped and counted,
/// never waited for. Then the start time of a process service while the console is still blocked.
/// </summary>
public sealed class LogBurstBench : IBenchmarkGroup
{
    public string Title => "log-burst";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var tinyinitd = Path.Combine(context.BinDirectory, "tinyinitd");
        var ctl = Path.Combine(context.BinDirectory, "tinyctl");
        if (!File.Exists(tinyinitd) || !File.Exists(ctl)) yield break;
        var width = context.Quick ? 2500 : 25_000;
        var probes = context.Quick ? 5 : 20;
        var services = new Dictionary<string, string>(ServiceSets.Boot(width, "internal"))
        {
            ["probe"] = "type = process\ncommand = /bin/sleep 100000\n",
        };
        var results = new Dictionary<bool, (double Burst, double Probe)>();
        foreach (var blocked in new[] { false, true })
        {
            using var manager = ConsoleManager.Launch(tinyinitd, services, blocked);
            manager.WaitAnswering();
            var burst = 0.0;
            for (var cycle = 0; cycle < 2; cycle++)
                burst += manager.TimedCtl(ctl, "start", "boot") + manager.TimedCtl(ctl, "stop", "boot");
            var probe = new List<double>();
            for (var i = 0; i < probes; i++)
            {
                probe.Add(manager.TimedCtl(ctl, "start", "probe"));
                manager.TimedCtl(ctl, "stop", "probe");
            }
            probe.Sort();
            results[blocked] = (burst, probe[probe.Count / 2]);
        }
        string Versus(double blocked, double free) => $"console on /dev/null {free:0.#} ms ({blocked / free:0.00}x)";
        var lines = 4 * (width + 1);
        yield return new($"burst: start+stop boot twice ({lines} lines), console blocked", results[true].Burst, "ms", Versus(results[true].Burst, results[false].Burst));
        yield return new("  per log line, console blocked", results[true].Burst * 1000 / lines, "us", "includes the service work that logs it");
        yield return new($"process service start after the burst (median of {probes})", results[true].Probe, "ms", Versus(results[true].Probe, results[false].Probe));
    }

    /// <summary>tinyinitd -u with status lines on, its stdout a pipe nobody reads (<c>blocked</c>) or /dev/null.</summary>
    private sealed class ConsoleManager(Process process, RunningManager control) : IDisposable
    {
        public static ConsoleManager Launch(string tinyinitd, IReadOnlyDictionary<string, string> services, bool blocked)
        {
            var work = RunningManager.Prepare(services);
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = blocked, RedirectStandardInput = true };
            foreach (var a in new[] { "-c", blocked ? "exec \"$@\"" : "exec \"$@\" >/dev/null", "sh", tinyinitd, "-u", "-d", Path.Combine(work, "services"), "-p", Path.Combine(work, "ctl.socket"), "hold" })
                psi.ArgumentList.Add(a);
            var started = Process.Start(psi)!;
            return new ConsoleManager(started, RunningManager.Of(started, work));
        }

        public void WaitAnswering() => control.WaitAnswering();
        public double TimedCtl(string ctl, params string[] args) => control.TimedCtl(ctl, args);

        public void Dispose()
        {
            // Read what is left so that the manager can write its last lines and exit on SIGTERM.
            if (process.StartInfo.RedirectStandardOutput) _ = process.StandardOutput.ReadToEndAsync();
            control.Dispose();
        }
    }
}
