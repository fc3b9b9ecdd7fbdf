using System.Diagnostics;

namespace Tinyinit.Bench;

/// <summary>
/// tinyinit alone (PID 1 of a throw-away PID namespace) with a trivial shell as its manager:
/// binary size, idle memory, memory after thousands of orphans were reaped and queued (flat if
/// PID 1 really does not allocate), start-up time to a running manager, and the time to
/// replace a killed manager (bounded below by the once-per-second restart limit).
/// </summary>
public sealed class InitBench : IBenchmarkGroup
{
    public string Title => "init";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var binary = Path.Combine(context.BinDirectory, "tinyinit");
        if (!File.Exists(binary)) yield break;
        yield return new BenchRow("tinyinit binary size", new FileInfo(binary).Length / 1024.0, "KiB", "target 800-900 KiB");

        using (var idle = TrivialInit.Start(binary, "exec sleep 1000"))
        {
            Thread.Sleep(1000);     // let start-up settle before reading "idle" memory
            var (rss, anon) = Memory(idle.InitPid);
            yield return new BenchRow("tinyinit idle VmRSS (trivial manager)", rss, "KiB");
            yield return new BenchRow("tinyinit idle RssAnon (trivial manager)", anon, "KiB", "target ~1000 KiB private");
        }

        // The shell orphans short-lived sleeps; it never says Hello, so every exit is reaped and
        // queued (the ring holds 1024, the rest are counted as lost): memory must not grow.
        var orphans = context.Quick ? 300 : 3000;
        using (var busy = TrivialInit.Start(binary, $"touch started; i=0; while [ $i -lt {orphans} ]; do (sleep 0 &); i=$((i+1)); done; touch done; exec sleep 1000"))
        {
            Poll(() => busy.Has("started"));
            var (_, before) = Memory(busy.InitPid);
            Poll(() => busy.Has("done"));
            Thread.Sleep(500);
            var (_, after) = Memory(busy.InitPid);
            yield return new BenchRow($"tinyinit RssAnon after reaping {orphans} orphans", after, "KiB", $"{after - before:+0;-0;0} KiB vs. before");
        }

        var runs = context.Quick ? 3 : 10;
        var startTimes = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            using var init = TrivialInit.Start(binary, "touch started; exec sleep 1000");
            Poll(() => init.Has("started"));
            startTimes.Add(sw.Elapsed.TotalMilliseconds);
        }
        startTimes.Sort();
        yield return new BenchRow($"start to manager running (median of {runs})", startTimes[runs / 2], "ms", "includes unshare and the re-exec");

        using (var restart = TrivialInit.Start(binary, "echo $$ >> starts; exec sleep 1000"))
        {
            Poll(() => restart.Lines("starts").Length == 1);
            Thread.Sleep(1100);     // past the restart limit, so the figure is the restart itself
            var manager = restart.ManagerHostPid();
            var sw = Stopwatch.StartNew();
            Process.GetProcessById(manager).Kill();
            Poll(() => restart.Lines("starts").Length == 2);
            yield return new BenchRow("killed manager to new manager running", sw.Elapsed.TotalMilliseconds, "ms");
        }
    }

    private static (long VmRss, long RssAnon) Memory(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string key) => long.Parse(lines.First(l => l.StartsWith(key + ":"))[(key.Length + 1)..].Trim().Split(' ')[0]);
        return (Field("VmRSS"), Field("RssAnon"));
    }

    private static void Poll(Func<bool> condition)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("tinyinit bench: condition never became true");
            Thread.Sleep(1);
        }
    }

    /// <summary>tinyinit as PID 1 of a new PID namespace whose manager is <c>sh -c SCRIPT</c> run in a work directory.</summary>
    private sealed class TrivialInit : IDisposable
    {
        private readonly Process _unshare;
        private readonly string _work;

        private TrivialInit(Process unshare, string work)
        {
            _unshare = unshare;
            _work = work;
        }

        public static TrivialInit Start(string binary, string script)
        {
            var work = Directory.CreateTempSubdirectory("tinyinit-initbench.").FullName;
            var psi = new ProcessStartInfo("env") { UseShellExecute = false, WorkingDirectory = work, RedirectStandardError = true };
            foreach (var a in new[] { "--default-signal", "unshare", "--pid", "--fork", "--mount-proc", binary, "--manager", "/bin/sh", "-c", script })
                psi.ArgumentList.Add(a);
            var unshare = Process.Start(psi)!;
            unshare.ErrorDataReceived += (_, _) => { };
            unshare.BeginErrorReadLine();
            return new TrivialInit(unshare, work);
        }

        public bool Has(string file) => File.Exists(Path.Combine(_work, file));

        public string[] Lines(string file) => Has(file) ? File.ReadAllLines(Path.Combine(_work, file)) : [];

        public int InitPid => ChildrenOf(_unshare.Id).Single();

        public int ManagerHostPid() => ChildrenOf(InitPid).Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sleep"));

        private static IEnumerable<int> ChildrenOf(int pid) =>
            File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);

        public void Dispose()
        {
            if (!_unshare.HasExited) _unshare.Kill(entireProcessTree: true);
            _unshare.WaitForExit();
            _unshare.Dispose();
            Directory.Delete(_work, recursive: true);
        }
    }
}
