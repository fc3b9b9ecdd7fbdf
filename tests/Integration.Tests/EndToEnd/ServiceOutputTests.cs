using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// Where a service's output goes (issue 13, semantics.md §13.1): a bounded buffer read with
/// catlog, a manager-held pipe from a producer to its consumer, and log files the manager
/// opens (owner, mode, no symlink) and can reopen for rotation.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(240_000)]
public class ServiceOutputTests
{
    private string _work = "";

    [SetUp]
    public void CreateWork() => _work = Directory.CreateTempSubdirectory("tinyinit-output.").FullName;

    [TearDown]
    public void RemoveWork()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    private string Script(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A manager whose boot service is an empty internal one: it keeps running while the test starts and stops the others.</summary>
    private StandaloneManager Start(Dictionary<string, string> services)
    {
        services["boot"] = "type = internal\n";
        return StandaloneManager.StartIn(Path.Combine(_work, "manager"), services).WaitReady();
    }

    /// <summary>The longest run of whole lines at the end of <paramref name="text"/> that fits in <paramref name="size"/> bytes.</summary>
    private static string TailOfWholeLines(string text, int size)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n").Reverse();
        var kept = "";
        foreach (var line in lines)
        {
            if (kept.Length + line.Length > size) break;
            kept = line + kept;
        }
        return kept;
    }

    [Test]
    public void CatlogShowsTheLatestOutputThatFitsTheBufferMarksRestartsAndClears()
    {
        var chatty = Script("chatty.sh", $$"""
            if [ -e {{_work}}/ran ]; then echo second; else
              i=1; while [ $i -le 50 ]; do echo line$i; i=$((i+1)); done
              touch {{_work}}/ran
            fi
            exec /bin/sleep 4001
            """);
        using var manager = Start(new()
        {
            ["chatty"] = $"type = process\nlog-type = buffer\nlog-buffer-size = 100\ncommand = /bin/sh {chatty}\n",
            ["plain"] = "type = process\ncommand = /bin/sleep 4002\n",
        });
        Assert.That(manager.Ctl("start", "chatty").ExitCode, Is.Zero, manager.Output);
        var all = string.Concat(Enumerable.Range(1, 50).Select(i => $"line{i}\n"));
        var expected = TailOfWholeLines(all, 100);
        Assert.That(Poll.Until(() => manager.Ctl("catlog", "chatty").StdOut.Contains("line50\n")), manager.Output);
        var log = manager.Ctl("catlog", "chatty");
        Assert.That(log.ExitCode, Is.Zero);
        Assert.That(log.StdOut, Is.EqualTo(expected), "the oldest output is dropped, whole lines kept");
        Assert.That(manager.Ctl("catlog", "chatty").StdOut, Is.EqualTo(expected), "reading does not clear");

        Assert.That(manager.Ctl("restart", "chatty").ExitCode, Is.Zero, manager.Output);
        Assert.That(Poll.Until(() => manager.Ctl("catlog", "chatty").StdOut.EndsWith("second\n", StringComparison.Ordinal)), manager.Output);
        var afterRestart = manager.Ctl("catlog", "--clear", "chatty").StdOut;
        Assert.That(afterRestart, Does.EndWith("line50\n(dinit: note: service restarted)\nsecond\n"));
        Assert.That(afterRestart, Does.StartWith("line"));
        Assert.That(afterRestart.Length, Is.LessThanOrEqualTo(100));
        var cleared = manager.Ctl("catlog", "chatty");
        Assert.That((cleared.ExitCode, cleared.StdOut), Is.EqualTo((0, "")), "--clear emptied the buffer");

        var plain = manager.Ctl("catlog", "plain");
        Assert.That(plain.ExitCode, Is.EqualTo(1));
        Assert.That(plain.StdErr, Does.Contain("cannot cat log for service not configured to buffer output."));
    }

    /// <summary>
    /// The producer stops only between lines (its TERM trap; only builtins between the line and
    /// its count, since a stop signals the whole process group), the consumer reads whole lines
    /// and leaves after every seven (restart = true brings it back) or is stopped once it has
    /// caught up: so every line lost or repeated would be the manager's doing.
    /// </summary>
    [Test]
    public void AConsumerReceivesExactlyEveryLineWhileItAndItsProducerRestartRepeatedly()
    {
        const int total = 400;
        var count = Path.Combine(_work, "count");
        var received = Path.Combine(_work, "received");
        // stderr is the pipe too: the shell's "Terminated" for a killed sleep must not count as a line.
        var producer = Script("producer.sh", $$"""
            exec 2>/dev/null
            trap 'stop=1' TERM
            n=$(cat {{count}} 2>/dev/null || echo 0)
            while [ -z "$stop" ] && [ $n -lt {{total}} ]; do
              n=$((n+1)); echo $n; echo $n > {{count}}
              sleep 0.01
            done
            [ -n "$stop" ] && exit 0
            exec /bin/sleep 4003
            """);
        var consumer = Script("consumer.sh", $$"""
            i=0
            while [ $i -lt 7 ] && IFS= read -r line; do echo "$line" >> {{received}}; i=$((i+1)); done
            """);
        using var manager = Start(new()
        {
            ["producer"] = $"type = process\nlog-type = pipe\ncommand = /bin/sh {producer}\n",
            ["consumer"] = $"type = process\nconsumer-of = producer\nrestart = true\nrestart-delay = 0.05\nrestart-limit-count = 0\ncommand = /bin/sh {consumer}\n",
        });
        int Written()
        {
            // The producer rewrites the file in place: read again when it was caught empty.
            for (var attempt = 0; ; attempt++)
                if (int.TryParse(ReadOrEmpty(count).Trim(), out var n) || attempt == 50) return n;
        }
        int Received() => ReadOrEmpty(received).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

        Assert.That(manager.Ctl("start", "consumer").ExitCode, Is.Zero, manager.Output);
        Assert.That(manager.Ctl("start", "producer").ExitCode, Is.Zero, manager.Output);
        for (var round = 1; round <= 3; round++)
        {
            Assert.That(Poll.Until(() => Written() >= round * 80), manager.Output);
            Assert.That(manager.Ctl("restart", "producer").ExitCode, Is.Zero, manager.Output);
            Assert.That(Poll.Until(() => Written() >= round * 80 + 20), manager.Output);
            // The producer stops, the consumer catches up and stops while waiting for input ...
            Assert.That(manager.Ctl("stop", "producer").ExitCode, Is.Zero, manager.Output);
            Assert.That(Poll.Until(() => Received() == Written()), $"caught up: {Received()} of {Written()}\n{manager.Output}");
            Assert.That(manager.Ctl("stop", "consumer").ExitCode, Is.Zero, manager.Output);
            // ... and output written while no consumer runs waits in the manager's pipe.
            var before = Written();
            Assert.That(manager.Ctl("start", "producer").ExitCode, Is.Zero, manager.Output);
            Assert.That(Poll.Until(() => Written() >= before + 15), manager.Output);
            Assert.That(Received(), Is.EqualTo(before), "nothing is read while the consumer is down");
            Assert.That(manager.Ctl("start", "consumer").ExitCode, Is.Zero, manager.Output);
        }
        Assert.That(Poll.Until(() => Received() >= total), $"{Received()} of {total}\n{manager.Output}");
        Thread.Sleep(200);
        var lines = File.ReadAllLines(received);
        Assert.That(lines, Is.EqualTo(Enumerable.Range(1, total).Select(i => i.ToString()).ToArray()), manager.Output);
    }

    /// <summary>Beyond the pipe's capacity a producer waits for its consumer: it is neither killed (EPIPE) nor loses output.</summary>
    [Test]
    public void AProducerThatFillsThePipeWaitsForItsConsumerAndLosesNothing()
    {
        var done = Path.Combine(_work, "done");
        var copy = Path.Combine(_work, "copy");
        using var manager = Start(new()
        {
            ["producer"] = $"type = process\nlog-type = pipe\ncommand = /bin/sh -c \"/bin/dd if=/dev/zero bs=1024 count=300 status=none; touch {done}; exec /bin/sleep 4007\"\n",
            ["consumer"] = $"type = process\nconsumer-of = producer\ncommand = /bin/sh -c \"exec /bin/cat > {copy}\"\n",
        });
        Assert.That(manager.Ctl("start", "producer").ExitCode, Is.Zero, manager.Output);
        Thread.Sleep(1000);
        Assert.That(File.Exists(done), Is.False, "300 KiB do not fit in the pipe: the producer waits");
        Assert.That(manager.Ctl("status", "producer").StdOut, Does.Contain("State: STARTED"));
        Assert.That(manager.Ctl("start", "consumer").ExitCode, Is.Zero, manager.Output);
        Assert.That(Poll.Until(() => File.Exists(done) && new FileInfo(copy).Length == 300 * 1024), manager.Output);
    }

    [Test]
    public void ALogFileIsCreatedWithTheConfiguredOwnerAndModeAndAPlantedSymlinkIsNotFollowed()
    {
        if (Environment.UserName != "root") Assert.Ignore("needs root to give the file to another owner");
        var logs = Path.Combine(_work, "logs");
        Directory.CreateDirectory(logs);
        var victim = Path.Combine(_work, "victim");
        File.WriteAllText(victim, "precious\n");
        CommandResult.Run("chmod", ["600", victim]);
        File.CreateSymbolicLink(Path.Combine(logs, "linked.log"), victim);
        using var manager = Start(new()
        {
            ["owned"] = $"type = process\nlogfile = {logs}/owned.log\nlogfile-permissions = 640\nlogfile-uid = 4321\nlogfile-gid = 4322\n" +
                        "command = /bin/sh -c \"echo hello; echo oops >&2; exec /bin/sleep 4004\"\n",
            ["linked"] = $"type = process\nlogfile = {logs}/linked.log\ncommand = /bin/sh -c \"echo overwrite; exec /bin/sleep 4005\"\n",
        });
        Assert.That(manager.Ctl("start", "owned").ExitCode, Is.Zero, manager.Output);
        var owned = Path.Combine(logs, "owned.log");
        Assert.That(Poll.Until(() => ReadOrEmpty(owned) == "hello\noops\n"), ReadOrEmpty(owned) + manager.Output);
        var stat = Stat(owned);
        Assert.That(stat, Is.EqualTo("4321 4322 640"), "owner, group and mode as configured");

        var linked = manager.Ctl("start", "linked");
        Assert.That(linked.ExitCode, Is.EqualTo(1), linked + manager.Output);
        Assert.That(File.ReadAllText(victim), Is.EqualTo("precious\n"), "the symlink's target is untouched");
        Assert.That(Stat(victim), Is.EqualTo("0 0 600"));
        Assert.That(Poll.Until(() => manager.Output.Contains("opening log file")), manager.Output);
        Assert.That(manager.Output, Does.Contain("is a symbolic link; not followed"));
    }

    [Test]
    public void ReopenLogMovesOutputToTheNewFileAfterRotationWithoutRestartingTheService()
    {
        var ticker = Script("ticker.sh", """
            i=1; while :; do echo tick$i; i=$((i+1)); sleep 0.05; done
            """);
        var log = Path.Combine(_work, "ticker.log");
        using var manager = Start(new()
        {
            ["ticker"] = $"type = process\nlogfile = {log}\nlogfile-permissions = 600\ncommand = /bin/sh {ticker}\n",
            ["plain"] = "type = process\ncommand = /bin/sleep 4006\n",
        });
        Assert.That(manager.Ctl("start", "ticker").ExitCode, Is.Zero, manager.Output);
        Assert.That(Poll.Until(() => ReadOrEmpty(log).Contains("tick3\n")), manager.Output);
        var pid = Pid(manager, "ticker");

        File.Move(log, log + ".1");   // what logrotate does
        var reopen = manager.Ctl("reopen-log", "ticker");
        Assert.That(reopen.ExitCode, Is.Zero, reopen + manager.Output);
        Assert.That(Poll.Until(() => ReadOrEmpty(log).Contains("tick")), "output reaches the new file\n" + manager.Output);
        Assert.That(Pid(manager, "ticker"), Is.EqualTo(pid), "the service was not restarted");
        var rotated = File.ReadAllLines(log + ".1").Select(l => int.Parse(l["tick".Length..])).ToList();
        var fresh = File.ReadAllLines(log).Select(l => int.Parse(l["tick".Length..])).ToList();
        Assert.That(rotated.Concat(fresh), Is.EqualTo(Enumerable.Range(1, rotated.Count + fresh.Count)), "no line lost or repeated across the rotation");
        Assert.That(Stat(log).Split(' ')[2], Is.EqualTo("600"));

        var unloaded = manager.Ctl("reopen-log", "plain");
        Assert.That((unloaded.ExitCode, unloaded.StdErr), Is.EqualTo((1, "tinyctl: service not loaded.\n")));
        Assert.That(manager.Ctl("start", "plain").ExitCode, Is.Zero, manager.Output);
        var plain = manager.Ctl("reopen-log", "plain");
        Assert.That(plain.ExitCode, Is.EqualTo(1));
        Assert.That(plain.StdErr, Does.Contain("not configured to log to a file"));
    }

    private static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
    }

    private static string Stat(string path) => CommandResult.Run("stat", ["-c", "%u %g %a", path]).StdOut.Trim();

    private static string Pid(StandaloneManager manager, string service) =>
        manager.Ctl("status", service).StdOut.Split('\n').FirstOrDefault(l => l.Contains("Process ID:"))?.Trim() ?? "";
}
