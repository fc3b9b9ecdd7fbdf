using System.Text;
using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>
/// Manager hand-over as a property: restore(serialize(s)) behaves exactly as s. For random
/// seeds a random graph (as in <see cref="ModelTests"/>, plus console use, stop commands and
/// exec failures) runs a random prefix; its snapshot is restored into a new set over a new fake
/// system with the same clock and processes; then the same random remainder runs against both,
/// and after every step their timelines and their snapshots must be identical. The steps call
/// the set directly and let launch outcomes wait for an explicit loop turn, so snapshots are
/// also taken between a reply and its outcome.
/// </summary>
public class SnapshotRoundTripTests
{
    private const int DefaultSequences = 1_000;
    private const int Blocks = 2;

    private static int Sequences =>
        int.TryParse(Environment.GetEnvironmentVariable("SNAPSHOT_SEQUENCES"), out var n) && n > 0 ? n : DefaultSequences;

    [TestCase(0)]
    [TestCase(1)]
    public void RestoredSetsBehaveExactlyAsTheOriginal(int block)
    {
        var perBlock = (Sequences + Blocks - 1) / Blocks;
        var covered = new HashSet<string>();
        for (int seed = block * perBlock; seed < (block + 1) * perBlock; seed++)
            new Scenario(seed, covered).Run();
        // The hand-overs must keep meeting the situations that are hard to restore.
        Assert.That(covered, Is.SupersetOf(Situations), "situations never handed over");
    }

    private static readonly string[] Situations =
    [
        "launch outcome pending", "timer armed", "console queue", "stop command running", "stopping",
        "pinned started", "pinned stopped", "restart delay", "shutting down", "untracked or launcher", "exec failed",
    ];

    [Test, Explicit]
    public void SingleSeed() => new Scenario(int.Parse(Environment.GetEnvironmentVariable("SNAPSHOT_SEED") ?? "0"), []).Run();

    private sealed class Scenario(int seed, HashSet<string> covered)
    {
        private void NoteSituations(World w)
        {
            var services = w.Set.Services.ToArray();
            void Note(bool present, string situation)
            {
                if (present) covered.Add(situation);
            }
            Note(w.Set.HasLaunchOutcomes, "launch outcome pending");
            Note(w.System.Timers.Count > 0, "timer armed");
            Note(services.Any(s => s.WaitingForConsole), "console queue");
            Note(services.Any(s => s.StopCommandPid != 0), "stop command running");
            Note(services.Any(s => s.State == ServiceState.Stopping), "stopping");
            Note(services.Any(s => s.PinnedStarted), "pinned started");
            Note(services.Any(s => s.PinnedStopped), "pinned stopped");
            Note(services.Any(s => s.State == ServiceState.Starting && s.Pid == 0 && s.Type == ServiceType.Process && w.System.Timers.ContainsKey(s)), "restart delay");
            Note(w.Set.IsShuttingDown, "shutting down");
            Note(services.Any(s => s.Type == ServiceType.BgProcess && s.Pid != 0), "untracked or launcher");
            Note(services.Any(s => s.StopReason == StopReason.ExecFailed), "exec failed");
        }

        private readonly StringBuilder history = new();

        public void Run()
        {
            var setup = new Random(seed);
            var original = new World();
            var names = BuildGraph(original, setup);
            var prefix = new Driver(original, names, new Random(setup.Next()));
            int prefixSteps = setup.Next(0, 50);
            for (int step = 0; step < prefixSteps; step++) history.AppendLine($"prefix: {prefix.Step()}");
            int remainderSeed = setup.Next();

            original.System.Timeline.Clear();
            NoteSituations(original);
            var restored = Handover.Restore(original, out _);
            Expect(restored.System.Timeline.All(line => line.StartsWith("timer ") || line.StartsWith("adopt ")),
                "restore did more than arm timers and adopt pids: " + string.Join(" | ", restored.System.Timeline));
            restored.System.Timeline.Clear();
            Compare(original, restored, "right after restore");

            var a = new Driver(original, names, new Random(remainderSeed));
            var b = new Driver(restored, names, new Random(remainderSeed));
            for (int step = 0; step < 40; step++)
            {
                var what = a.Step();
                var whatB = b.Step();
                Expect(what == whatB, $"steps diverged: '{what}' vs '{whatB}'");
                history.AppendLine(what);
                Compare(original, restored, what);
            }
            for (int round = 0; ; round++)
            {
                Expect(round < 500, "never went quiet");
                bool changed = a.QuiesceRound();
                Expect(changed == b.QuiesceRound(), "quiescing diverged");
                Compare(original, restored, $"quiesce round {round}");
                if (!changed) break;
            }
            a.Shutdown();
            b.Shutdown();
            Compare(original, restored, "shutdown");
            for (int round = 0; round < 500 && a.QuiesceRound() | b.QuiesceRound(); round++)
                Compare(original, restored, $"quiesce after shutdown, round {round}");
            Compare(original, restored, "the end");
        }

        private void Compare(World a, World b, string when)
        {
            var ta = a.System.Timeline.ToArray();
            var tb = b.System.Timeline.ToArray();
            a.System.Timeline.Clear();
            b.System.Timeline.Clear();
            foreach (var line in ta) history.Append("    ").AppendLine(line);
            Expect(ta.SequenceEqual(tb), $"{when}: timelines differ\n original: {string.Join(" | ", ta)}\n restored: {string.Join(" | ", tb)}");
            // The snapshot holds the engine's whole state; the dump only explains a difference.
            if (!a.Set.Serialize().AsSpan().SequenceEqual(b.Set.Serialize()))
                Expect(false, $"{when}: states differ\n original:\n{Dump(a)}\n restored:\n{Dump(b)}");
            Expect(a.System.Timers.Count == b.System.Timers.Count
                && a.System.Timers.All(t => b.System.Timers.TryGetValue(b.Set.FindIncludingPlaceholders(t.Key.Name)!, out var due) && due == t.Value),
                $"{when}: armed timers differ");
        }

        private static string Dump(World w)
        {
            var text = new StringBuilder();
            text.AppendLine($"active={w.Set.ActiveCount} shutdown={w.Set.IsShuttingDown} console={w.Set.ConsoleHolder} launches={w.Set.HasLaunchOutcomes}");
            foreach (var s in w.Set.Services)
            {
                text.AppendLine($"{s} {s.State}/{s.TargetState} {s.StopReason} req={s.RequiredBy} explicit={s.IsExplicitlyStarted} pin={s.PinnedStarted}/{s.PinnedStopped} "
                    + $"wfd={s.WaitingForDependencies} wfc={s.WaitingForConsole} console={s.HasConsole} pid={s.Pid}/{s.StopCommandPid} exit={s.ExitStatus} "
                    + $"exec={s.ExecFailureStage}/{s.ExecFailureErrno} failed={s.StartFailed} skipped={s.StartSkipped} trig={s.Triggered} untracked={s.IsUntracked}");
                foreach (var l in s.Dependencies) text.AppendLine($"  {l} holding={l.Holding} waiting={l.WaitingOn}");
                text.AppendLine($"  dependents: {string.Join(", ", s.Dependents)}");
            }
            return text.ToString();
        }

        private void Expect(bool condition, string message)
        {
            if (!condition) Assert.Fail($"seed {seed}: {message}\n--- history ---\n{history}");
        }

        private static List<string> BuildGraph(World world, Random random)
        {
            world.System.AutoPidFiles = true;
            int count = random.Next(3, 11);
            var names = new List<string>();
            var descriptions = new List<ServiceDescription>();
            for (int i = 0; i < count; i++)
            {
                var name = $"s{i}";
                names.Add(name);
                var type = (ServiceType)new[] { 0, 0, 1, 1, 2, 3, 4 }[random.Next(7)];
                var d = world.Describe(name, type);
                d.Restart = (RestartMode)random.Next(3);
                d.SmoothRecovery = type is ServiceType.Process or ServiceType.BgProcess && random.Next(4) == 0;
                d.RestartDelay = TimeSpan.FromMilliseconds(random.Next(3) * 700);
                d.RestartLimitCount = random.Next(4);
                if (type == ServiceType.Process && random.Next(2) == 0) d.WithReadiness();
                if (random.Next(4) == 0) d.With(ServiceOptions.StartInterruptible);
                if (random.Next(6) == 0) d.With(random.Next(2) == 0 ? ServiceOptions.StartsOnConsole : ServiceOptions.RunsOnConsole);
                if (type is ServiceType.Scripted or ServiceType.Process && random.Next(2) == 0) d.StopCommand = ["/bin/stop"];
                d.StartTimeout = TimeSpan.FromSeconds(random.Next(3) * 5);
                d.StopTimeout = TimeSpan.FromSeconds(random.Next(3) * 3);
                descriptions.Add(d);
            }
            for (int i = 1; i < count; i++)
            {
                var deps = new List<DependencySpec>();
                int links = random.Next(0, 4);
                for (int k = 0; k < links; k++)
                {
                    int j = random.Next(i);
                    var type = (DependencyType)new[] { 0, 0, 2, 3, 6, 5, 4 }[random.Next(7)];
                    if (type == DependencyType.Before)
                        descriptions[j].Dependencies = [.. descriptions[j].Dependencies, new DependencySpec(names[i], type)];
                    else
                        deps.Add(new DependencySpec(names[j], type));
                }
                descriptions[i].Dependencies = [.. descriptions[i].Dependencies, .. deps];
            }
            world.Set.Install(descriptions);
            return names;
        }
    }

    /// <summary>Random steps against one world. Every choice depends only on the random
    /// sequence and on the world's observable state, in orders that do not depend on
    /// dictionary history, so two equal worlds take equal steps.</summary>
    private sealed class Driver(World world, List<string> names, Random random)
    {
        private ServiceSet Set => world.Set;
        private ServiceRecord Any() => world[names[random.Next(names.Count)]];

        public string Step()
        {
            var s = Any();
            bool pin = random.Next(6) == 0;
            switch (random.Next(20))
            {
                case 0: case 1: case 2: Set.Start(s, pin); return $"start {s} pin={pin}";
                case 3:
                    bool force = random.Next(2) == 0;
                    Set.Stop(s, force, pin, gentle: random.Next(3) == 0, out _);
                    return $"stop {s} force={force} pin={pin}";
                case 4: Set.Release(s, pin); return $"release {s} pin={pin}";
                case 5: Set.Wake(s, pin); return $"wake {s} pin={pin}";
                case 6: Set.Restart(s, gentle: random.Next(2) == 0, out _); return $"restart {s}";
                case 7: Set.Unpin(s); return $"unpin {s}";
                case 8:
                    bool on = random.Next(3) != 0;
                    Set.SetTrigger(s, on);
                    return $"trigger {s} {on}";
                case 9: case 10: return EndRandomProcess();
                case 11:
                    var by = TimeSpan.FromMilliseconds(random.Next(1, 12_000));
                    Advance(by);
                    return $"advance {by}";
                case 12:
                    if (s.Description.ReadyNotification == null) return "no readiness";
                    if (random.Next(3) == 0) { Set.ReadinessClosed(s); return $"readiness-eof {s}"; }
                    Set.ReadinessReported(s);
                    return $"ready {s}";
                case 13: return ChangeLinks();
                case 14: case 15: case 16: Set.CompleteLaunches(); return "loop turn";
                case 17:
                    world.System.FailSpawn[s.Name] = 2;
                    return $"next spawn of {s} fails";
                case 18:
                    var result = Set.Reload(s, s.Description, out _);
                    return $"reload {s} {result}";
                default:
                    if (random.Next(10) != 0) { Set.CompleteLaunches(); return "loop turn"; }
                    Set.Shutdown(ShutdownType.Halt);
                    return "shutdown";
            }
        }

        private string ChangeLinks()
        {
            var from = Any();
            var to = Any();
            if (from == to) return "no link change";
            var type = random.Next(2) == 0 ? DependencyType.WaitsFor : DependencyType.Regular;
            if (random.Next(2) == 0)
            {
                bool enable = random.Next(2) == 0;
                return $"add-dep {from} {type} {to} enable={enable}: {Set.AddDependency(from, to, type, enable)}";
            }
            return $"rm-dep {from} {type} {to}: {Set.RemoveDependency(from, to, type)}";
        }

        private string EndRandomProcess()
        {
            if (world.System.Processes.Count == 0) return "no process";
            var pids = world.System.Processes.Keys.Order().ToArray();
            int pid = pids[random.Next(pids.Length)];
            int status = random.Next(4) switch
            {
                0 => 0,
                1 => WaitStatus.FromExitCode(1),
                2 => WaitStatus.FromSignal(Signals.Kill),
                _ => WaitStatus.FromSignal(Signals.Int),
            };
            Exit(pid, status);
            return $"pid {pid} ends with {status}";
        }

        private void Exit(int pid, int status)
        {
            world.System.Processes.Remove(pid);
            Set.ProcessExited(pid, status);
        }

        /// <summary>Fires due timers in deadline order, ties by name.</summary>
        private void Advance(TimeSpan by)
        {
            var end = world.System.Now + by;
            while (true)
            {
                var due = world.System.Timers.Where(t => t.Value <= end)
                    .OrderBy(t => t.Value).ThenBy(t => t.Key.Name, StringComparer.Ordinal).FirstOrDefault();
                if (due.Key == null) break;
                world.System.Now = due.Value;
                world.System.Timers.Remove(due.Key);
                Set.TimerExpired(due.Key);
            }
            world.System.Now = end;
        }

        public void Shutdown() => Set.Shutdown(ShutdownType.PowerOff);

        /// <summary>One round of letting the world finish what is in progress; true if anything happened.</summary>
        public bool QuiesceRound()
        {
            bool changed = false;
            if (Set.HasLaunchOutcomes)
            {
                Set.CompleteLaunches();
                changed = true;
            }
            foreach (var pid in world.System.Processes.Keys.Order().ToArray())
            {
                if (!world.System.Processes.TryGetValue(pid, out var process)) continue;
                var (service, kind) = process;
                bool launcher = service.Type == ServiceType.BgProcess && pid == service.Pid && service.State == ServiceState.Starting;
                if (service.State == ServiceState.Stopping || kind == CommandKind.Stop || service.Type == ServiceType.Scripted || launcher)
                {
                    Exit(pid, 0);
                    changed = true;
                }
            }
            foreach (var s in Set.Services.ToArray())
            {
                if (s.Description.ReadyNotification != null && s.Pid != 0 && s.State is ServiceState.Starting or ServiceState.Started)
                {
                    int before = world.System.Timeline.Count;
                    Set.ReadinessReported(s);
                    changed |= world.System.Timeline.Count != before;
                }
                if (s.Type == ServiceType.Triggered && s.State == ServiceState.Starting && !s.WaitingForDependencies && !s.Triggered)
                {
                    Set.SetTrigger(s, true);
                    changed = true;
                }
            }
            if (world.System.Timers.Count > 0)
            {
                Advance(world.System.Timers.Values.Min() - world.System.Now + TimeSpan.FromMilliseconds(1));
                changed = true;
            }
            return changed;
        }
    }
}
