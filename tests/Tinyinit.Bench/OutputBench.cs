using System.Diagnostics;

namespace Tinyinit.Bench;

/// <summary>
/// Service output (issue 13): how fast a log-type = file service's output reaches its file
/// through the manager's pipe (the price of reopen-log), and whether a service flooding its
/// buffer slows the event loop for everyone else (start time of another service meanwhile).
/// </summary>
public sealed class OutputBench : IBenchmarkGroup
{
    public string Title => "output";

    private const int Megabytes = 100;

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var tinyinitd = Path.Combine(context.BinDirectory, "tinyinitd");
        var ctl = Path.Combine(context.BinDirectory, "tinyctl");
        if (!File.Exists(tinyinitd) || !File.Exists(ctl)) yield break;
        var work = Directory.CreateTempSubdirectory("tinyinit-output-bench.").FullName;
        try
        {
            var log = Path.Combine(work, "writer.log");
            var dd = $"/bin/dd if=/dev/zero bs=64k count={Megabytes * 16} status=none";
            var services = new Dictionary<string, string>
            {
                ["boot"] = "type = internal\n",
                ["writer"] = $"type = scripted\nlogfile = {log}\ncommand = {dd}\n",
                ["flood"] = "type = process\nlog-type = buffer\nlog-buffer-size = 65536\ncommand = /usr/bin/yes\n",
                ["tick"] = "type = scripted\ncommand = /bin/true\n",
            };
            using var manager = RunningManager.Launch(tinyinitd, services, "boot");
            manager.WaitAnswering();

            var sw = Stopwatch.StartNew();
            manager.TimedCtl(ctl, "start", "writer");
            while (new FileInfo(log).Length < Megabytes * 1048576L && sw.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(5);
            var throughManager = Megabytes / sw.Elapsed.TotalSeconds;
            sw.Restart();
            using (var direct = Process.Start("/bin/sh", ["-c", $"{dd} > {work}/direct.log"])) direct.WaitForExit();
            var directly = Megabytes / sw.Elapsed.TotalSeconds;
            yield return new BenchRow($"log-type = file: {Megabytes} MiB from dd to the file", throughManager, "MB/s",
                $"dd straight to a file: {directly:0} MB/s");

            var runs = context.Quick ? 3 : 9;
            var idle = StartTimes(manager, ctl, runs);
            double busyCpu;
            // The same writer outside the manager: what the CPU it takes costs by itself.
            using (var outside = Process.Start("/bin/sh", ["-c", "exec /usr/bin/yes > /dev/null"]))
            {
                busyCpu = StartTimes(manager, ctl, runs);
                outside.Kill();
                outside.WaitForExit();
            }
            manager.TimedCtl(ctl, "start", "flood");
            var flooded = StartTimes(manager, ctl, runs);
            manager.TimedCtl(ctl, "stop", "flood");
            yield return new BenchRow($"start of a scripted service while another floods its buffer (median of {runs})", flooded, "ms",
                $"idle: {idle:0.0} ms; yes > /dev/null outside: {busyCpu:0.0} ms");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double StartTimes(RunningManager manager, string ctl, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            times.Add(manager.TimedCtl(ctl, "start", "tick"));
            manager.TimedCtl(ctl, "stop", "tick");
        }
        times.Sort();
        return times[runs / 2];
    }
}
