using System.Diagnostics;
using System.Text.RegularExpressions;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Init;

/// <summary>
/// Parked descriptors at the link level (protocol/InitLink/README.md): tinyinit as PID 1 of a
/// namespace keeps what the fake manager parks across the manager's death, hands it back to
/// the next one, closes it on release, refuses cleanly when its table is full, and leaks
/// nothing that arrives with a malformed message.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(120_000)]
public class ParkedDescriptorTests
{
    private const int ParkFd = 6, ReleaseFd = 7, ParkedFd = 8, ReexecInit = 9, CaughtUp = 10;

    private static string Message(int kind, int argument) =>
        Convert.ToHexString([(byte)kind, 1, 0, 0, .. BitConverter.GetBytes(argument), 0, 0, 0, 0, 0, 0, 0, 0]);

    /// <summary>A reader at the far end of a FIFO in the work directory, copying what arrives into a file.</summary>
    private static (Process Reader, string Fifo, string Output) StartFifoReader(FakeManagedInit init)
    {
        var fifo = Path.Combine(init.WorkDir, "fifo");
        var output = Path.Combine(init.WorkDir, "fifo.out");
        Assert.That(CommandResult.Run("mkfifo", [fifo], TimeSpan.FromSeconds(10)).ExitCode, Is.Zero);
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"cat '{fifo}' > '{output}'");
        return (Process.Start(psi)!, fifo, output);
    }

    private static void KillManager(FakeManagedInit init)
    {
        var manager = init.ProcessWithInnerPid(init.ManagerStarts()[^1]);
        Assert.That(manager, Is.Not.Null, init.Describe());
        Process.GetProcessById(manager!.HostPid).Kill();
    }

    private static string[] LinesAfterLastStart(FakeManagedInit init)
    {
        var lines = init.Log().Split('\n');
        var start = Array.FindLastIndex(lines, l => l.StartsWith("start pid=", StringComparison.Ordinal));
        return lines[(start + 1)..];
    }

    private static string[] InitDescriptors(FakeManagedInit init) =>
        Directory.GetFileSystemEntries($"/proc/{init.InitHostPid}/fd")
            .Select(f => { try { return new FileInfo(f).LinkTarget ?? ""; } catch (IOException) { return ""; } })
            .ToArray();

    [Test]
    public void AParkedPipeSurvivesAManagerKilledWithSigkillAndReachesTheNextOne()
    {
        using var init = FakeManagedInit.Start();
        var (reader, _, output) = StartFifoReader(init);
        using var _r = reader;
        init.Command($"park 5 {Path.Combine(init.WorkDir, "fifo")}");
        Assert.That(Poll.Until(() => init.Received("parked key=5")), init.Describe());
        Assert.That(Poll.Until(() => InitDescriptors(init).Any(t => t.EndsWith("/fifo", StringComparison.Ordinal))), Is.True,
            "tinyinit holds the parked write end\n" + init.Describe());

        KillManager(init);
        Assert.That(Poll.Until(() => init.ManagerStarts().Count == 2), init.Describe());
        Assert.That(Poll.Until(() => LinesAfterLastStart(init).Contains($"recv kind={ParkedFd} arg=0 status=0")), init.Describe());
        var after = LinesAfterLastStart(init);
        Assert.That(after, Does.Contain($"recv kind={ParkedFd} arg=5 status=0"), init.Describe());
        Assert.That(after, Does.Contain($"fds kind={ParkedFd} arg=5 count=1"), init.Describe());
        Assert.That(reader.HasExited, Is.False, "the write end stayed open while no manager ran");

        init.Command("write 5 through-tinyinit");
        Assert.That(Poll.Until(() => init.Received("wrote key=5")), init.Describe());
        // Release: tinyinit closes its copy, the manager its own; the last writer gone, the reader sees end-of-file.
        init.Command("release 5");
        Assert.That(reader.WaitForExit(30_000), Is.True, "tinyinit kept the released descriptor open\n" + init.Describe());
        Assert.That(File.ReadAllText(output), Is.EqualTo("through-tinyinit"));
        Assert.That(InitDescriptors(init).Any(t => t.EndsWith("/fifo", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public void AParkedPipeSurvivesReexecInitAndStillReachesTheNextManager()
    {
        using var init = FakeManagedInit.Start();
        var (reader, fifo, output) = StartFifoReader(init);
        using var _r = reader;
        init.Command($"park 5 {fifo}");
        Assert.That(Poll.Until(() => init.Received("parked key=5")), init.Describe());

        init.Command($"send {ReexecInit} 0 0");   // path length 0: tinyinit's own executable
        Assert.That(Poll.Until(() => init.Output.Contains("resumed after reexec-init")), init.Describe());
        Assert.That(InitDescriptors(init).Count(t => t.EndsWith("/fifo", StringComparison.Ordinal)), Is.EqualTo(1),
            "the re-executed image holds the parked write end, once\n" + init.Describe());

        KillManager(init);
        Assert.That(Poll.Until(() => LinesAfterLastStart(init).Contains($"recv kind={ParkedFd} arg=5 status=0")), init.Describe());
        init.Command("write 5 across-reexec");
        Assert.That(Poll.Until(() => init.Received("wrote key=5")), init.Describe());
        init.Command("release 5");
        Assert.That(reader.WaitForExit(30_000), Is.True, "the released descriptor stayed open\n" + init.Describe());
        Assert.That(File.ReadAllText(output), Is.EqualTo("across-reexec"));
    }

    [Test]
    public void TheHandBackComesRightAfterHelloBeforeTheExitsQueuedWhileNoManagerRan()
    {
        using var init = FakeManagedInit.Start();
        init.Command("parkpipes 11 2");
        Assert.That(Poll.Until(() => init.Received("parkpipes done")), init.Describe());
        File.WriteAllText(Path.Combine(init.WorkDir, "hold-hello"), "");
        var orphan = init.Orphan("orphan 0.3 4");
        KillManager(init);
        Assert.That(Poll.Until(() => init.ManagerStarts().Count == 2), init.Describe());
        Assert.That(Poll.Until(() => init.ProcessWithInnerPid(orphan) == null), "the orphan exits while the next manager holds its Hello");
        File.Delete(Path.Combine(init.WorkDir, "hold-hello"));
        var exited = $"recv kind=2 arg={orphan} status={4 << 8}";
        var caughtUp = $"recv kind={CaughtUp} arg=0 status=0";   // everything queued before Hello has been sent
        Assert.That(Poll.Until(() => LinesAfterLastStart(init).Contains(caughtUp)), init.Describe());
        var received = LinesAfterLastStart(init).Where(l => l.StartsWith("recv ", StringComparison.Ordinal)).ToList();
        Assert.That(received, Is.EqualTo(new[]
        {
            $"recv kind={ParkedFd} arg=11 status=0", $"recv kind={ParkedFd} arg=12 status=0", $"recv kind={ParkedFd} arg=0 status=0", exited, caughtUp,
        }), init.Describe());
    }

    [Test]
    public void AFullTableRefusesCleanlyAndTakesDescriptorsAgainOnceOneIsReleased()
    {
        // 200 descriptors allowed: 200 - 64 reserved = 136 slots.
        using var init = FakeManagedInit.Start(fdLimit: "200:200");
        var baseline = InitDescriptors(init).Length;
        init.Command("parkpipes 1 140");
        Assert.That(Poll.Until(() => init.Received("parkpipes done")), init.Describe());
        var refused = Enumerable.Range(137, 4).Select(k => $"recv kind={ReleaseFd} arg={k} status=0").ToArray();
        Assert.That(Poll.Until(() => refused.All(init.Received)), "the manager is told of each refusal\n" + init.Describe());
        Assert.That(init.Received($"recv kind={ReleaseFd} arg=136 status=0"), Is.False);
        Assert.That(InitDescriptors(init).Length - baseline, Is.EqualTo(136), "refused descriptors are closed");
        Assert.That(Regex.Matches(init.Output, "parked-descriptor table full").Count, Is.EqualTo(1), "logged once\n" + init.Output);

        init.Command("release 3");
        init.Command("parkpipes 500 1");
        Assert.That(Poll.Until(() => init.Log().Split('\n').Count(l => l == "parkpipes done") == 2), init.Describe());
        Thread.Sleep(300);
        Assert.That(init.Received($"recv kind={ReleaseFd} arg=500 status=0"), Is.False, init.Describe());
        Assert.That(InitDescriptors(init).Length - baseline, Is.EqualTo(136));
        Assert.That(init.HasExited, Is.False);
    }

    [Test]
    public void TinyinitRaisesItsOwnDescriptorLimitForTheTableButTheManagerGetsTheOriginal()
    {
        using var init = FakeManagedInit.Start(fdLimit: "1024:8192");
        var limits = File.ReadAllLines($"/proc/{init.InitHostPid}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        Assert.That(limits.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], Is.EqualTo("4160"), limits);
        Assert.That(init.Received("nofile=1024"), init.Describe());
        init.Command("parkpipes 1 1");
        KillManager(init);
        Assert.That(Poll.Until(() => init.Log().Split('\n').Count(l => l == "nofile=1024") == 2), "a restarted manager too\n" + init.Describe());
    }

    [Test]
    public void MalformedMessagesWithDescriptorsAttachedLeakNothing()
    {
        using var init = FakeManagedInit.Start();
        var marker = Path.Combine(init.WorkDir, "marker");
        File.WriteAllText(marker, "");
        var baseline = InitDescriptors(init).Length;
        string[] malformed =
        [
            $"rawfds {Message(1, 0)} 1 {marker}",                 // Hello with a descriptor
            $"rawfds {Message(ParkFd, 40)} 2 {marker}",            // ParkFd with two
            $"rawfds {Message(ParkFd, 41)} 9 {marker}",            // more than init's control buffer takes (MSG_CTRUNC)
            $"rawfds {Message(ReleaseFd, 42)} 1 {marker}",         // ReleaseFd with one
            $"rawfds {Message(ParkedFd, 43)} 1 {marker}",          // init's own kind, wrong direction
            $"rawfds {Message(ParkFd, 0)} 1 {marker}",             // key 0
            $"rawfds {Message(ParkFd, 44)}00 1 {marker}",          // 17 bytes
            $"rawfds 0601 1 {marker}",                             // 2 bytes
            $"send {ParkFd} 45 0",                                 // ParkFd with nothing attached
        ];
        foreach (var command in malformed) init.Command(command);
        Assert.That(Poll.Until(() => init.Log().Split('\n').Count(l => l == "rawfds sent") == malformed.Length - 1), init.Describe());
        Assert.That(Poll.Until(() => Regex.Matches(init.Output, "ignoring a malformed message").Count >= malformed.Length), init.Describe());
        Assert.That(InitDescriptors(init).Where(t => t == marker), Is.Empty, "no descriptor of the marker stays in tinyinit");
        Assert.That(InitDescriptors(init).Length, Is.EqualTo(baseline));
        // Still parks and hands back after all that.
        init.Command("parkpipes 46 1");
        Assert.That(Poll.Until(() => init.Received("parkpipes done")), init.Describe());
        KillManager(init);
        Assert.That(Poll.Until(() => LinesAfterLastStart(init).Contains($"fds kind={ParkedFd} arg=46 count=1")), init.Describe());
    }
}
