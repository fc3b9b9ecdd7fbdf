using System.Diagnostics;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// Seeded runs of <c>kill -9</c> of the manager at a random moment while service processes are
/// killed at random (issue 10). Each seed runs twice, with and without the manager kill: the
/// final <c>list</c> (pids aside) must be the same, no service process may ever run twice at once (each
/// holds a lock on its own file while it runs; a second instance that finds it taken records a
/// violation), and no exit may go unhandled (every killed process service is running again).
/// Seeds: <c>TINYINIT_CRASH_SEEDS</c> (default 2), services: <c>TINYINIT_CRASH_SERVICES</c>
/// (default 25, at most 200).
/// </summary>
[TestFixture, NonParallelizable]
public class ManagerCrashSeededTests
{
    private static int Setting(string name, int fallback, int max) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? Math.Min(v, max) : fallback;

    [Test]
    public void AManagerKilledAtARandomMomentLeavesTheSameEndStateAsNoKill()
    {
        var seeds = Setting("TINYINIT_CRASH_SEEDS", 2, 100_000);
        var services = Setting("TINYINIT_CRASH_SERVICES", 25, 200);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var seed = 1; seed <= seeds; seed++)
        {
            var withKill = Run(seed, services, killManager: true);
            var without = Run(seed, services, killManager: false);
            if (withKill.Problem != null) failures.Add($"seed {seed} (manager killed): {withKill.Problem}");
            if (without.Problem != null) failures.Add($"seed {seed} (no manager kill): {without.Problem}");
            if (withKill.Problem == null && without.Problem == null && withKill.List != without.List)
                failures.Add($"seed {seed}: final list differs\n--- with the manager kill\n{withKill.List}--- without\n{without.List}");
        }
        TestContext.Progress.WriteLine($"{seeds} seeds x {services} services: {failures.Count} failures in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.That(failures, Is.Empty, string.Join("\n\n", failures.Take(3)));
    }

    private sealed record Outcome(string List, string? Problem);

    private static Outcome Run(int seed, int count, bool killManager)
    {
        var marks = System.IO.Directory.CreateTempSubdirectory("tinyinit-seeded.").FullName;
        try
        {
            var (services, processNames) = ServiceSet(marks, count);
            using var init = NamespacedInit.Boot(services);
            // boot needs some triggered services: trigger them once loaded.
            foreach (var name in services.Keys.Where(n => n.StartsWith('t')))
                Poll.Until(() => init.Ctl("trigger", name).ExitCode == 0);
            if (!Poll.Until(() => init.Ctl("is-started", "boot").ExitCode == 0))
                return new("", "boot never started\n" + init.Output);

            var random = new Random(seed);
            var events = 6 + random.Next(6);
            var managerAt = random.Next(events);
            for (var i = 0; i < events; i++)
            {
                Thread.Sleep(random.Next(0, 120));
                var victim = processNames[random.Next(processNames.Count)];
                var manager = i == managerAt ? ManagerPid(init) : 0;
                if (killManager && manager > 0) CommandResult.Run("kill", ["-KILL", manager.ToString()]);
                if (Pid(init, Marker(victim)) is var pid and > 0) CommandResult.Run("kill", ["-KILL", pid.ToString()]);
            }

            // Settled: every process service runs again and two readings of list agree.
            var list = "";
            var settled = Poll.Until(() =>
            {
                if (processNames.Any(n => Pid(init, Marker(n)) == 0)) return false;
                var first = init.Ctl("list");
                Thread.Sleep(300);
                var second = init.Ctl("list");
                list = second.StdOut;
                return first.ExitCode == 0 && first.StdOut == second.StdOut && !second.StdOut.Contains("<<") && !second.StdOut.Contains(">>");
            }, TimeSpan.FromSeconds(60));
            if (!settled) return new(list, "never settled (a killed service not running again?)\n" + list + init.Output);
            var violations = Path.Combine(marks, "violations");
            if (File.Exists(violations) && File.ReadAllText(violations).Length > 0)
                return new(list, "a service ran twice at once: " + File.ReadAllText(violations) + init.Output);
            // Pids differ between runs by nature: the states are what must agree.
            return new(System.Text.RegularExpressions.Regex.Replace(list, @" \(pid: \d+\)", ""), null);
        }
        finally
        {
            try { System.IO.Directory.Delete(marks, recursive: true); } catch (IOException) { }
        }
    }

    private static string Marker(string name) => $"/bin/sleep {100000 + int.Parse(name[1..])}";

    /// <summary>
    /// Process services (restart = yes, unlimited) that hold a lock on their own file while they
    /// run, scripted, internal and triggered services; boot needs some, waits for the others.
    /// </summary>
    private static (Dictionary<string, string> Services, List<string> ProcessNames) ServiceSet(string marks, int count)
    {
        var services = new Dictionary<string, string>();
        var processes = new List<string>();
        var boot = new System.Text.StringBuilder("type = internal\n");
        for (var i = 0; i < count; i++)
        {
            var kind = i % 5;
            var name = "ppsti"[kind] + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (kind)
            {
                case 0 or 1:
                    var script = Path.Combine(marks, name + ".sh");
                    File.WriteAllText(script,
                        $"exec 9>>{marks}/{name}.lock\n" +
                        $"flock -n 9 || {{ echo {name} >> {marks}/violations; exit 1; }}\n" +
                        $"exec {Marker(name)}\n");
                    services[name] = $"type = process\nrestart = yes\nrestart-limit-count = 0\nrestart-delay = 0.05\ncommand = /bin/sh {script}\n";
                    processes.Add(name);
                    break;
                case 2:
                    services[name] = $"type = scripted\ncommand = /bin/sh -c \"echo {name} >> {marks}/scripted\"\n";
                    break;
                case 3:
                    services[name] = "type = triggered\n";
                    break;
                default:
                    services[name] = "type = internal\n";
                    break;
            }
            boot.Append(i % 3 == 0 ? "depends-on: " : "waits-for: ").Append(name).Append('\n');
        }
        services["boot"] = boot.ToString();
        return (services, processes);
    }

    private static int ManagerPid(NamespacedInit init) =>
        init.Processes().FirstOrDefault(p => p.Name == "tinyinitd" && p.State != 'Z')?.HostPid ?? 0;

    private static int Pid(NamespacedInit init, string commandLine) =>
        init.Processes().FirstOrDefault(p => p.CommandLine == commandLine && p.State != 'Z')?.HostPid ?? 0;
}
