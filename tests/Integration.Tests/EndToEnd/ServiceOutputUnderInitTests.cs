using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// Output pipes outlive the manager image (issue 13): across restart-manager they pass by
/// number with the buffers' contents (hand-over section "logs"); across kill -9 the parked
/// copies come back from tinyinit, so a consumer restarted afterwards still reads its
/// producer's pipe and a buffered service's later output is still captured.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(240_000)]
public class ServiceOutputUnderInitTests
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

    private static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
    }

    [Test]
    public void PipesAndBuffersSurviveRestartManagerAndAManagerCrash()
    {
        const int total = 300;
        var received = Path.Combine(_work, "received");
        var gate = Path.Combine(_work, "gate");
        var producer = Script("producer.sh", $$"""
            n=0; while [ $n -lt {{total}} ]; do n=$((n+1)); echo $n; sleep 0.02; done
            exec /bin/sleep 5001
            """);
        // Leaves after every seven lines: each restart takes its stdin from the manager again.
        var consumer = Script("consumer.sh", $$"""
            i=0
            while [ $i -lt 7 ] && IFS= read -r line; do echo "$line" >> {{received}}; i=$((i+1)); done
            """);
        var buffered = Script("buffered.sh", $$"""
            echo before
            while [ ! -e {{gate}} ]; do sleep 0.05; done
            echo after
            exec /bin/sleep 5002
            """);
        var ticker = Script("ticker.sh", "i=1; while :; do echo tick$i; i=$((i+1)); sleep 0.02; done\n");
        var tickLog = Path.Combine(_work, "ticker.log");
        using var init = NamespacedInit.Boot(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\nwaits-for: producer\nwaits-for: consumer\nwaits-for: buffered\nwaits-for: ticker\n",
            ["ticker"] = $"type = process\nlogfile = {tickLog}\ncommand = /bin/sh {ticker}\n",
            ["producer"] = $"type = process\nlog-type = pipe\ncommand = /bin/sh {producer}\n",
            ["consumer"] = $"type = process\nconsumer-of = producer\nrestart = true\nrestart-delay = 0.05\nrestart-limit-count = 0\ncommand = /bin/sh {consumer}\n",
            ["buffered"] = $"type = process\nlog-type = buffer\ncommand = /bin/sh {buffered}\n",
        }, "boot");
        int Received() => ReadOrEmpty(received).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

        Assert.That(Poll.Until(() => Received() >= 20), init.Output);
        Assert.That(Poll.Until(() => init.Ctl("catlog", "buffered").StdOut == "before\n"), init.Output);

        var handOver = init.Ctl("restart-manager");
        Assert.That(handOver.ExitCode, Is.Zero, handOver + init.Output);
        Assert.That(Poll.Until(() => init.Ctl("catlog", "buffered") is { ExitCode: 0 } r && r.StdOut == "before\n"),
            "the buffer's contents pass to the successor\n" + init.Output);
        var afterHandOver = Received();
        Assert.That(Poll.Until(() => Received() >= afterHandOver + 20), "the consumer keeps receiving\n" + init.Output);

        var manager = init.Processes().Single(p => p.Name == "tinyinitd").HostPid;
        CommandResult.Run("kill", ["-KILL", manager.ToString()]);
        Assert.That(Poll.Until(() => init.Processes().Any(p => p.Name == "tinyinitd" && p.HostPid != manager) &&
                                     init.Ctl("status", "buffered").ExitCode == 0), init.Output);
        File.WriteAllText(gate, "");
        Assert.That(Poll.Until(() => init.Ctl("catlog", "buffered").StdOut.Contains("after\n")),
            "output written after the crash is still captured\n" + init.Output);

        Assert.That(Poll.Until(() => Received() >= total), $"{Received()} of {total}\n{init.Output}");
        Thread.Sleep(200);
        Assert.That(File.ReadAllLines(received), Is.EqualTo(Enumerable.Range(1, total).Select(i => i.ToString()).ToArray()), init.Output);
        Assert.That(init.Output, Does.Not.Contain("output pipe was lost"));
        // The log file the manager writes for the ticker: every tick, in order, across both manager changes.
        var ticks = File.ReadAllLines(tickLog).Select(l => int.Parse(l["tick".Length..])).ToList();
        Assert.That(ticks, Is.EqualTo(Enumerable.Range(1, ticks.Count)), "no tick lost or repeated in the log file");
        Assert.That(ticks, Has.Count.GreaterThan(50));
    }
}
