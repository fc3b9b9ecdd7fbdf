using System.Diagnostics;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Bench;

/// <summary>
/// The launch path's cost against its floor: tinyinitd starting 1,000 process services
/// (<c>tinyctl start boot</c> with boot depending on them, descriptions already loaded) beside a
/// C program that only calls posix_spawn 1,000 times with the same set-up (own session, signal
/// mask and dispositions reset, fds 0-2 on /dev/null, everything else closed). Interleaved
/// runs; the ratio of medians is what the launch path must keep within 1.15x.
/// </summary>
public sealed class SpawnBench : IBenchmarkGroup
{
    private const string FloorSource = """
        #define _GNU_SOURCE
        #include <fcntl.h>
        #include <signal.h>
        #include <spawn.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <sys/wait.h>
        #include <time.h>
        extern char **environ;
        int main(int argc, char **argv) {
            int n = atoi(argv[1]);
            pid_t *pids = calloc(n, sizeof(pid_t));
            char *args[] = { "/bin/sleep", "100000", NULL };
            struct timespec a, b;
            clock_gettime(CLOCK_MONOTONIC, &a);
            for (int i = 0; i < n; i++) {
                posix_spawn_file_actions_t fa; posix_spawnattr_t at; sigset_t none, all;
                posix_spawn_file_actions_init(&fa);
                posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
                posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
                posix_spawn_file_actions_adddup2(&fa, 1, 2);
                posix_spawn_file_actions_addclosefrom_np(&fa, 3);
                posix_spawnattr_init(&at);
                sigemptyset(&none); sigfillset(&all);
                posix_spawnattr_setsigmask(&at, &none);
                posix_spawnattr_setsigdefault(&at, &all);
                posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
                if (posix_spawn(&pids[i], args[0], &fa, &at, args, environ) != 0) return 1;
                posix_spawn_file_actions_destroy(&fa); posix_spawnattr_destroy(&at);
            }
            clock_gettime(CLOCK_MONOTONIC, &b);
            printf("%.3f\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
            for (int i = 0; i < n; i++) kill(pids[i], SIGKILL);
            for (int i = 0; i < n; i++) waitpid(pids[i], NULL, 0);
            return 0;
        }
        """;

    public string Title => "spawn";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var tinyinitd = Path.Combine(context.BinDirectory, "tinyinitd");
        var ctl = Path.Combine(context.BinDirectory, "tinyctl");
        if (!File.Exists(tinyinitd) || !File.Exists(ctl)) yield break;
        var floor = CompileFloor();
        const int services = 1000;
        var runs = context.Quick ? 3 : 5;
        var manager = new List<double>();
        var c = new List<double>();
        ManagerStatusInfo? record = null;
        using (var running = RunningManager.Launch(tinyinitd, ServiceSets.Boot(services, "process"), "hold", crashRecord: true))
        {
            running.WaitAnswering();
            running.TimedCtl(ctl, "start", "boot");    // loads boot and its 1,000 descriptions
            running.TimedCtl(ctl, "stop", "boot");
            for (var i = 0; i < runs; i++)
            {
                c.Add(RunFloor(floor, services));
                manager.Add(running.TimedCtl(ctl, "start", "boot"));
                if (i == 0)
                {
                    running.TimedCtl(ctl, "setenv", "BENCH_TOUCH=1");   // one more write, with all 1,000 running
                    record = running.ManagerStatus();
                }
                running.TimedCtl(ctl, "stop", "boot");
            }
        }
        var (m, f) = (Median(manager), Median(c));
        yield return new BenchRow($"start {services} process services: tinyctl start boot (median of {runs})", m, "ms", "descriptions loaded; includes tinyctl");
        yield return new BenchRow($"C loop of {services} posix_spawn calls, same set-up (median of {runs})", f, "ms", "the floor");
        yield return new BenchRow("ratio: manager start / C posix_spawn loop", m / f, "x", "target <= 1.15x; manager writes its crash record as under tinyinit");
        if (record is { } r)
            yield return new BenchRow($"crash record write, {services} services running ({r.RecordBytes} bytes of engine state)", r.RecordWriteMicroseconds / 1000.0, "ms", "one loop turn's write");
    }

    private static string CompileFloor()
    {
        var dir = Directory.CreateTempSubdirectory("tinyinit-spawn-floor.").FullName;
        File.WriteAllText(Path.Combine(dir, "floor.c"), FloorSource);
        var output = Path.Combine(dir, "floor");
        using var cc = Process.Start("cc", ["-O2", "-o", output, Path.Combine(dir, "floor.c")])!;
        cc.WaitForExit();
        if (cc.ExitCode != 0) throw new InvalidOperationException("cc could not build the posix_spawn floor");
        return output;
    }

    private static double RunFloor(string floor, int count)
    {
        var psi = new ProcessStartInfo(floor, [count.ToString()]) { RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return double.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
