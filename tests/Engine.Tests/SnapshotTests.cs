using System.Buffers;
using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>
/// Manager hand-over (issue 10), engine half: <see cref="ServiceSet.Serialize(Func{ServiceRecord, ReadOnlySpan{byte}})"/>
/// and <see cref="ServiceSet.Restore"/>. Each test hands a world over in a chosen situation and
/// then drives the original and the restored world alike: both must do exactly the same.
/// </summary>
public class SnapshotTests
{
    /// <summary>The restored world; its restore timeline (timers, adoptions) is returned
    /// separately, and both timelines start empty.</summary>
    private static World HandOver(World w, out string[] restoreTimeline, out RestoreResult result,
        Func<SnapshotService, ServiceDescription?>? describe = null)
    {
        var restored = Handover.Restore(w, out result, describe);
        restoreTimeline = restored.System.Timeline.ToArray();
        restored.System.Timeline.Clear();
        w.System.Timeline.Clear();
        return restored;
    }

    private static World HandOver(World w, out string[] restoreTimeline) => HandOver(w, out restoreTimeline, out _);

    /// <summary>Runs the same stimulus in both worlds; returns the (identical) timeline.</summary>
    private static string[] Both(World original, World restored, Action<World> stimulus)
    {
        stimulus(original);
        stimulus(restored);
        var expected = original.Take();
        Assert.That(restored.Take(), Is.EqualTo(expected), "the restored world behaves differently");
        Assert.That(restored.Set.Serialize(), Is.EqualTo(original.Set.Serialize()), "the restored world's state differs");
        return expected;
    }

    [Test]
    public void ASnapshotOfAnEmptySetRestoresToAnEmptySet()
    {
        var w = new World();
        var restored = HandOver(w, out var timeline, out var result);
        Assert.That(timeline, Is.Empty);
        Assert.That(restored.Set.Services, Is.Empty);
        Assert.That(result, Is.EqualTo(new RestoreResult(1, result.StandIns, 0)));
        Assert.That(result.StandIns, Is.Empty);
    }

    [Test]
    public void RestoreOnlyArmsTimersAndAdoptsPidsAndRaisesNoEvents()
    {
        var w = new World();
        w.Add("db", ServiceType.Process).WithReadiness();
        w.Add("web", ServiceType.Process, "need:db");
        w.Load();
        w.Start("web");
        w.Take();

        var restored = HandOver(w, out var timeline, out var result);

        Assert.That(timeline, Is.EqualTo(new[] { "adopt db start 100", "timer db +60s" }));
        Assert.That(result.AdoptedPids, Is.EqualTo(1));
        Assert.That(restored.System.StatusLines, Is.Empty);
        Assert.That(restored["db"].State, Is.EqualTo(ServiceState.Starting));
        Assert.That(restored["web"].WaitingForDependencies, Is.True);
        Assert.That(Both(w, restored, x => x.Ready("db")), Is.EqualTo(new[] { "db Started", "spawn web start", "web Started" }));
    }

    [Test]
    public void AServiceInItsRestartDelayRelaunchesAtTheRecordedDeadline()
    {
        var w = new World();
        var web = w.Add("web", ServiceType.Process);
        web.Restart = RestartMode.Yes;
        web.RestartDelay = TimeSpan.FromSeconds(2);
        w.Load();
        w.Start("web");
        w.AdvanceSeconds(0.5);
        w.Kill("web", Signals.Kill);
        w.Take();
        w.AdvanceSeconds(0.5);

        var restored = HandOver(w, out var timeline);

        Assert.That(timeline, Is.EqualTo(new[] { "timer web +1s" }), "the deadline is absolute: 1 s of the delay is left");
        Assert.That(restored["web"].State, Is.EqualTo(ServiceState.Starting));
        Assert.That(restored["web"].Pid, Is.Zero);
        Assert.That(Both(w, restored, x => x.AdvanceSeconds(0.9)), Is.Empty);
        Assert.That(Both(w, restored, x => x.AdvanceSeconds(0.1)), Is.EqualTo(new[] { "spawn web start", "web Started" }));
    }

    [Test]
    public void ASlowStopKeepsItsStopTimerAndItsProcess()
    {
        var w = new World();
        var web = w.Add("web", ServiceType.Process);
        web.StopTimeout = TimeSpan.FromSeconds(10);
        w.Load();
        w.Start("web");
        int pid = w["web"].Pid;
        w.Take();
        w.Stop("web");
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal web TERM", "timer web +10s" }));
        w.AdvanceSeconds(4);

        var restored = HandOver(w, out var timeline);

        Assert.That(timeline, Is.EqualTo(new[] { $"adopt web start {pid}", "timer web +6s" }));
        Assert.That(restored["web"].State, Is.EqualTo(ServiceState.Stopping));
        Assert.That(restored["web"].Pid, Is.EqualTo(pid));
        Assert.That(Both(w, restored, x => x.AdvanceSeconds(6)), Is.EqualTo(new[]
        {
            $"log warn: Service web with pid {pid} exceeded allowed stop time; killing.", "signal web KILL",
        }));
        Assert.That(Both(w, restored, x => x.Kill("web", Signals.Kill)), Is.EqualTo(new[] { "web Stopped", "all-stopped" }));
    }

    [Test]
    public void AStopCommandInProgressIsAdoptedAsAStopCommand()
    {
        var w = new World();
        w.Add("web", ServiceType.Process).StopCommand = ["/bin/stop-web"];
        w.Load();
        w.Start("web");
        w.Stop("web");
        w.Take();
        int main = w["web"].Pid, stop = w["web"].StopCommandPid;

        var restored = HandOver(w, out var timeline);

        Assert.That(timeline, Is.EqualTo(new[] { $"adopt web start {main}", $"adopt web stop {stop}", "timer web +10s" }));
        Both(w, restored, x => x.StopCommandExits("web"));
        Assert.That(Both(w, restored, x => x.Exit("web")), Is.EqualTo(new[] { "web Stopped", "all-stopped" }));
    }

    [Test]
    public void PinsSurviveTheHandOver()
    {
        var w = new World();
        w.Add("up");
        w.Add("down");
        w.Load();
        w.Start("up", pin: true);
        w.Stop("down", pin: true);
        w.Take();

        var restored = HandOver(w, out _);

        Assert.That(restored["up"].PinnedStarted, Is.True);
        Assert.That(restored["down"].PinnedStopped, Is.True);
        Assert.That(restored.Set.IsStartPinned(restored["up"]), Is.True);
        Assert.That(Both(w, restored, x => x.Release("up")), Is.Empty, "pinned started: the stop waits");
        Assert.That(Both(w, restored, x => x.Start("down")), Is.Empty, "pinned stopped: refused");
        Assert.That(restored.Start("down"), Is.EqualTo(CommandResult.PinnedStopped));
        w.Start("down");
        Assert.That(Both(w, restored, x => x.Unpin("up")), Is.EqualTo(new[] { "up Stopped", "all-stopped" }));
    }

    [Test]
    public void ExplicitAndDependencyStartsStayApart()
    {
        var w = new World();
        w.Add("lib");
        w.Add("app", ServiceType.Internal, "need:lib");
        w.Add("tool");
        w.Load();
        w.Start("app");
        w.Start("tool");
        w.Take();

        var restored = HandOver(w, out _);

        Assert.That(restored["app"].IsExplicitlyStarted, Is.True);
        Assert.That(restored["lib"].IsExplicitlyStarted, Is.False);
        Assert.That(restored["lib"].RequiredBy, Is.EqualTo(1));
        Assert.That(restored["app"].Dependencies.Single().Holding, Is.True);
        Assert.That(restored.Set.ActiveCount, Is.EqualTo(3));
        Assert.That(Both(w, restored, x => x.Release("app")), Is.EqualTo(new[] { "app Stopped", "lib Stopped" }));
        Assert.That(Both(w, restored, x => x.Release("tool")), Is.EqualTo(new[] { "tool Stopped", "all-stopped" }));
    }

    [Test]
    public void RunTimeLinksAreRestoredWithTheirTypeAndFlags()
    {
        var w = new World();
        w.Add("a");
        w.Add("b");
        w.Add("c", ServiceType.Process).WithReadiness();
        w.Load();
        Assert.That(w.Set.AddDependency(w["a"], w["c"], DependencyType.Regular, enable: false), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Set.AddDependency(w["a"], w["b"], DependencyType.WaitsFor, enable: false), Is.EqualTo(CommandResult.Ack));
        w.Start("a");   // a waits for c, which waits for readiness
        Assert.That(w.Set.RemoveDependency(w["a"], w["b"], DependencyType.WaitsFor), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Take(), Is.EqualTo(new[] { "spawn c start", "timer c +60s", "b Started", "b Stopped" }));

        var restored = HandOver(w, out _);

        var link = restored["a"].Dependencies.Single();
        Assert.That((link.To.Name, link.Type, link.Holding, link.WaitingOn), Is.EqualTo(("c", DependencyType.Regular, true, true)));
        Assert.That(restored["c"].Dependents.Single(), Is.SameAs(link));
        Assert.That(restored["b"].Dependents, Is.Empty);
        Assert.That(Both(w, restored, x => x.Set.AddDependency(x["b"], x["a"], DependencyType.Regular, enable: false)), Is.Empty);
        Assert.That(Both(w, restored, x => x.Ready("c")), Is.EqualTo(new[] { "c Started", "a Started" }));
        Assert.That(Both(w, restored, x => x.Start("b")), Is.EqualTo(new[] { "b Started" }));
    }

    [Test]
    public void APendingLaunchOutcomeIsActedOnAfterTheHandOver()
    {
        var w = new World();
        w.Add("web", ServiceType.Process);
        w.Add("bad", ServiceType.Process);
        w.Load();
        w.System.FailSpawn["bad"] = 2;
        w.Set.Start(w["web"], pin: false);
        w.Set.Start(w["bad"], pin: false);   // the replies went out, the outcomes did not
        Assert.That(w.Set.HasLaunchOutcomes, Is.True);

        var restored = HandOver(w, out var timeline);

        Assert.That(timeline, Is.EqualTo(new[] { "adopt web start 100" }));
        Assert.That(restored.Set.HasLaunchOutcomes, Is.True);
        Assert.That(restored["web"].State, Is.EqualTo(ServiceState.Starting));
        Assert.That(Both(w, restored, x => x.Set.CompleteLaunches()), Is.EqualTo(new[]
        {
            "web Started",
            "log error: bad: execution failed - executing command: No such file or directory", "bad FailedStart", "bad Stopped",
        }));
        Assert.That((restored["bad"].StopReason, restored["bad"].ExecFailureStage, restored["bad"].ExecFailureErrno),
            Is.EqualTo((StopReason.ExecFailed, "executing command", 2)));
    }

    [Test]
    public void TheConsoleHolderAndItsQueueAreRestoredInOrder()
    {
        var w = new World();
        w.Add("one", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Add("two", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Add("three", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Add("four", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Load();
        foreach (var name in new[] { "one", "two", "three", "four" }) w.Start(name);
        w.Take();

        var restored = HandOver(w, out var timeline);

        Assert.That(timeline, Is.EqualTo(new[] { "adopt one start 100", "timer one +60s" }), "the console stays where it is");
        Assert.That(restored.Set.ConsoleHolder, Is.SameAs(restored["one"]));
        Assert.That(restored["one"].HasConsole, Is.True);
        Assert.That(new[] { "two", "three", "four" }.Select(n => restored[n].WaitingForConsole), Is.All.True);
        // Leaving the middle of the queue, then the queue's order.
        Assert.That(Both(w, restored, x => x.Stop("three")), Is.EqualTo(new[] { "three StartCancelled", "three Stopped" }));
        Assert.That(Both(w, restored, x => x.Exit("one")), Is.EqualTo(new[] { "console two", "one Started", "spawn two start", "timer two +60s" }));
        Assert.That(Both(w, restored, x => x.Exit("two")), Is.EqualTo(new[] { "console four", "two Started", "spawn four start", "timer four +60s" }));
    }

    [Test]
    public void TriggeredStateAndShutdownAreRestored()
    {
        var w = new World();
        w.Add("trig", ServiceType.Triggered);
        w.Add("web", ServiceType.Process);
        w.Load();
        w.Set.SetTrigger(w["trig"], true);
        w.Start("web");
        w.Set.Shutdown(ShutdownType.Reboot);
        w.Take();

        var restored = HandOver(w, out _);

        Assert.That(restored["trig"].Triggered, Is.True);
        Assert.That((restored.Set.IsShuttingDown, restored.Set.ShutdownType), Is.EqualTo((true, ShutdownType.Reboot)));
        Assert.That(restored.Start("trig"), Is.EqualTo(CommandResult.ShuttingDown));
        w.Start("trig");
        Assert.That(Both(w, restored, x => x.Exit("web")), Is.EqualTo(new[] { "web Stopped", "all-stopped" }));
    }

    [Test]
    public void AOneHundredThousandDeepChainRoundTripsWithoutRecursion()
    {
        var w = new World();
        const int depth = 100_000;
        var batch = new List<ServiceDescription>(depth);
        for (int i = 0; i < depth; i++)
            batch.Add(w.Describe($"s{i}", ServiceType.Internal, i == 0 ? [] : [$"need:s{i - 1}"]));
        w.Set.Install(batch);
        w.System.LogTimers = false;
        w.Start($"s{depth - 1}");

        // Restored on a thread with a small stack: any walk that recursed over the chain would overflow it.
        World? restored = null;
        var thread = new Thread(() => restored = HandOver(w, out _), 256 * 1024);
        thread.Start();
        thread.Join();

        Assert.That(restored!.Set.ActiveCount, Is.EqualTo(depth));
        Assert.That(restored["s0"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(restored["s0"].RequiredBy, Is.EqualTo(1));
        restored.Stop("s0");
        Assert.That(restored.Set.ActiveCount, Is.Zero);
        Assert.That(restored[$"s{depth - 1}"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
    }

    [Test]
    public void AServiceWhoseDescriptionIsGoneKeepsItsProcessUnderAStandIn()
    {
        var w = new World();
        var web = w.Add("web", ServiceType.Process);
        web.TermSignal = Signals.Hup;
        web.StopTimeout = TimeSpan.FromSeconds(3);
        web.Restart = RestartMode.Yes;
        w.Add("idle", ServiceType.Process);
        w.Load();
        w.Start("web");
        w.Take();

        var restored = HandOver(w, out var timeline, out var result, _ => null);

        Assert.That(result.StandIns.Select(s => s.Name), Is.EqualTo(new[] { "web", "idle" }));
        Assert.That(timeline, Is.EqualTo(new[] { "adopt web start 100" }));
        Assert.That(restored["web"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(restored["web"].Type, Is.EqualTo(ServiceType.Process));
        restored.Stop("web");
        Assert.That(restored.Take(), Is.EqualTo(new[] { "signal web HUP", "timer web +3s" }), "stops as its description said");
        restored.Exit("web");
        Assert.That(restored.Take(), Is.EqualTo(new[] { "web Stopped", "all-stopped" }), "a stand-in never restarts by itself");
    }

    [Test]
    public void ARunningServiceWhoseFileNowNamesAnotherTypeGetsAStandIn()
    {
        var w = new World();
        w.Add("web", ServiceType.Process);
        w.Add("off", ServiceType.Process);
        w.Load();
        w.Start("web");
        w.Take();

        var restored = HandOver(w, out _, out var result, s => w.Describe(s.Name, ServiceType.Scripted));

        Assert.That(result.StandIns.Select(s => s.Name), Is.EqualTo(new[] { "web" }), "a stopped service takes the new type");
        Assert.That(restored["web"].Type, Is.EqualTo(ServiceType.Process));
        Assert.That(restored["off"].Type, Is.EqualTo(ServiceType.Scripted));
    }

    [Test]
    public void TheCallbackLearnsPathReloadAndStampAndPlaceholdersStayPlaceholders()
    {
        var w = new World();
        w.Add("a").SourcePath = "/etc/tinyinit.d/a";
        w.Add("b", ServiceType.Internal, "before:ghost");
        w.Set.Install([new ServiceDescription { Name = "ghost", IsPlaceholder = true }]);
        w.Load();
        Assert.That(w.Set.Reload(w["a"], w["a"].Description, out _), Is.EqualTo(CommandResult.Ack));
        var seen = new List<SnapshotService>();

        var bytes = w.Set.Serialize(s => s.Name == "a" ? "stamp-a"u8 : ReadOnlySpan<byte>.Empty);
        var restored = Handover.Restore(w, bytes, out _, s => { seen.Add(s); return w.Set.Find(s.Name)?.Description; });

        Assert.That(seen.Select(s => (s.Name, s.SourcePath, s.Reloaded, System.Text.Encoding.ASCII.GetString(s.DescriptionStamp))),
            Is.EqualTo(new[] { ("a", "/etc/tinyinit.d/a", true, "stamp-a"), ("b", "", false, "") }));
        Assert.That(restored.Set.Find("ghost"), Is.Null);
        Assert.That(restored.Set.FindIncludingPlaceholders("ghost")!.IsPlaceholder, Is.True);
        Assert.That(restored["b"].Dependents.Single().From.Name, Is.EqualTo("ghost"));
    }

    [Test]
    public void RestoreRefusesASetThatIsNotNewAndBadRecordsChangeNothing()
    {
        var w = new World();
        w.Add("a");
        w.Load();
        var bytes = w.Set.Serialize();
        Assert.Throws<InvalidOperationException>(() => w.Set.Restore(bytes, _ => null));

        var fresh = new World();
        Assert.Throws<SnapshotFormatException>(() => fresh.Set.Restore("nope"u8, _ => null));
        Assert.Throws<SnapshotFormatException>(() => fresh.Set.Restore(bytes.AsSpan(0, bytes.Length - 1), _ => null));
        var future = (byte[])bytes.Clone();
        future[5] = 9;   // the oldest reader that can read it: format 9
        Assert.Throws<SnapshotFormatException>(() => fresh.Set.Restore(future, _ => null));
        Assert.Throws<ArgumentException>(() => fresh.Set.Restore(bytes, _ => throw new ArgumentException("loader failed")));
        Assert.That(fresh.Set.FindIncludingPlaceholders("a"), Is.Null);

        fresh.Set.Restore(bytes, s => w.Set.Find(s.Name)!.Description);
        Assert.That(fresh["a"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void SerializeRefusesWhileTheEngineIsProcessing()
    {
        var w = new World();
        w.Add("a");
        w.Load();
        Exception? refused = null;
        w.Set.ServiceEvent += (_, _) =>
        {
            try { w.Set.Serialize(); } catch (InvalidOperationException e) { refused = e; }
        };
        w.Start("a");
        Assert.That(refused, Is.Not.Null);
    }

    [Test]
    public void SerializeRefusesInsideALaunchOutcome()
    {
        // Launch outcomes raise STARTED outside the queue loop, with the queues empty.
        var w = new World();
        w.Add("web", ServiceType.Process);
        w.Load();
        Exception? refused = null;
        w.Set.ServiceEvent += (_, _) =>
        {
            try { w.Set.Serialize(); } catch (InvalidOperationException e) { refused = e; }
        };
        w.Set.Start(w["web"], pin: false);
        w.Set.CompleteLaunches();
        Assert.That(refused, Is.Not.Null);
        Assert.That(w["web"].State, Is.EqualTo(ServiceState.Started));
    }

    // ---- Records from earlier managers --------------------------------------------------------

    /// <summary>A record written by format 1 (this test's scenario at the time the format was
    /// introduced). It must restore as long as the format lives.</summary>
    private const string GoldenV1 = ""
        + "5449455301010306120406080A0405200302646208010A80C0010C020E0212C8011C042C1E2E8084AF5F3080989ABC04"
        + "052B030377656208010A81D0080C010E02100616121C021E032080B4891326022C1E2E8084AF5F3080989ABC04052803"
        + "036E657408030A80400C010E0212CC011C021E012080989ABC042C1E2E8084AF5F3080989ABC04051A030275690AC140"
        + "0C010E021C022C1E2E8084AF5F3080989ABC04070A0201040008010A010C00070C02030402060208030A030C00070C02"
        + "030400060208030A010C010B0502C80104000B0502CC010402";

    private static World GoldenScenario()
    {
        var w = new World();
        w.Add("db", ServiceType.Process);
        var web = w.Add("web", ServiceType.Process, "need:db");
        web.Restart = RestartMode.Yes;
        web.RestartDelay = TimeSpan.FromSeconds(2);
        w.Add("net", ServiceType.Scripted);
        w.Add("ui", ServiceType.Internal, "waits:net");
        w.Load();
        w.Start("web");
        w.Start("ui");
        w.Kill("web", Signals.Kill);
        w.Set.AddDependency(w["ui"], w["db"], DependencyType.WaitsFor, enable: false);
        w.Take();
        return w;
    }

    [Test, Explicit]
    public void PrintGoldenRecord() => TestContext.Out.WriteLine(Convert.ToHexString(GoldenScenario().Set.Serialize()));

    [Test]
    public void AFormatOneRecordStillRestores()
    {
        var original = GoldenScenario();
        var describe = (SnapshotService s) => original.Set.Find(s.Name)?.Description;
        var restored = new World();
        restored.System.AutoPidFiles = true;
        restored.System.NextPid = 103;

        var result = restored.Set.Restore(Convert.FromHexString(GoldenV1), describe);

        Assert.That(result.FormatVersion, Is.EqualTo(1));
        Assert.That(restored.System.Timeline, Is.EqualTo(new[]
        {
            "adopt db start 100", "adopt net start 102", "timer web +2s", "timer net +60s",
        }));
        restored.System.Timeline.Clear();
        Assert.That(restored.StateOf("db"), Is.EqualTo("Started/Started"));
        Assert.That(restored.StateOf("web"), Is.EqualTo("Starting/Started"));
        Assert.That(restored.StateOf("ui"), Is.EqualTo("Starting/Started"));
        Assert.That(restored["ui"].Dependencies.Select(l => $"{l}"), Is.EqualTo(new[] { "ui -WaitsFor-> net", "ui -WaitsFor-> db" }));
        Assert.That(restored["ui"].IsExplicitlyStarted, Is.True);
        Assert.That(restored["db"].RequiredBy, Is.EqualTo(2));
        restored.AdvanceSeconds(2);
        restored.Exit("net");
        Assert.That(restored.Take(), Is.EqualTo(new[] { "spawn web start", "web Started", "net Started", "ui Started" }));
    }

    /// <summary>A format-1 record written by hand from Snapshot.md, with fields, flag bits and
    /// records no manager knows yet and a newer writer version: the reader skips what it does
    /// not know.</summary>
    [Test]
    public void AHandWrittenRecordWithUnknownFieldsRestores()
    {
        var record = new Record();
        record.Raw("TIES"u8).Varint(7).Varint(1);   // written by format 7, readable from format 1
        record.Nested(1, g => g.Number(3, ZigZag(1)).Number(40, 5).Bytes(41, "future"u8));
        record.Nested(2, s => s
            .Text(1, "db").Number(4, 1 /* process */).Number(6, 2 /* started */).Number(7, 2)
            .Number(5, (1 << 0) | (1 << 13) | (1 << 14) | (1UL << 40))   // explicit, active, brought up, unknown bit
            .Number(9, ZigZag(4242)).Number(14, ZigZag(1)).Number(22, ZigZag(15))
            .Number(99, 12345).Bytes(98, "later"u8));
        record.Bytes(77, "a record kind from the future"u8);
        record.Nested(5, p => p.Number(1, ZigZag(4242)).Number(2, 0));

        var w = new World();
        var result = w.Set.Restore(record.ToArray(), s => w.Describe(s.Name, ServiceType.Process));

        Assert.That(result.FormatVersion, Is.EqualTo(7));
        Assert.That(w.System.Timeline, Is.EqualTo(new[] { "adopt db start 4242" }));
        w.System.Timeline.Clear();
        Assert.That((w["db"].State, w["db"].Pid, w["db"].IsExplicitlyStarted, w.Set.ActiveCount), Is.EqualTo((ServiceState.Started, 4242, true, 1)));
        w.Stop("db");
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal db TERM", "timer db +10s" }));
        w.Set.ProcessExited(4242, 0);
        Assert.That(w.Take(), Is.EqualTo(new[] { "db Stopped", "all-stopped" }));
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>The field encoding of Snapshot.md, written independently of the engine's writer.</summary>
    private sealed class Record
    {
        private readonly ArrayBufferWriter<byte> buffer = new();

        public Record Raw(ReadOnlySpan<byte> bytes)
        {
            buffer.Write(bytes);
            return this;
        }

        public Record Varint(ulong value)
        {
            while (value >= 0x80)
            {
                buffer.Write([(byte)(value | 0x80)]);
                value >>= 7;
            }
            buffer.Write([(byte)value]);
            return this;
        }

        public Record Number(int tag, ulong value) => Varint((ulong)tag << 1).Varint(value);
        public Record Bytes(int tag, ReadOnlySpan<byte> bytes) => Varint((ulong)tag << 1 | 1).Varint((ulong)bytes.Length).Raw(bytes);
        public Record Text(int tag, string text) => Bytes(tag, System.Text.Encoding.UTF8.GetBytes(text));

        public Record Nested(int tag, Action<Record> fill)
        {
            var inner = new Record();
            fill(inner);
            return Bytes(tag, inner.ToArray());
        }

        public byte[] ToArray() => buffer.WrittenSpan.ToArray();
    }
}
