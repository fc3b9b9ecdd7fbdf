using System.Diagnostics;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// <c>ready-notification = sd_notify</c> against real processes: test services written in
/// Python speak the sd_notify protocol to the manager's NOTIFY_SOCKET (READY=1, STATUS=,
/// MAINPID=, WATCHDOG=1), as nginx or postgres would.
/// </summary>
[TestFixture, NonParallelizable]
public class SdNotifyTests
{
    private const string Service = """
        import os, socket, sys, time

        def send(message):
            address = os.environ["NOTIFY_SOCKET"]
            if address.startswith("@"):
                address = "\0" + address[1:]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.sendto(message.encode(), address)
            s.close()

        mode, work = sys.argv[1], sys.argv[2]
        with open(os.path.join(work, "launches"), "a") as f:
            f.write("%d %s %s\n" % (os.getpid(), os.environ.get("NOTIFY_SOCKET", "-"), os.environ.get("WATCHDOG_USEC", "-")))
        if mode == "send":                      # a foreign process: not started by the manager
            send(sys.argv[3])
            sys.exit(0)
        if mode == "slow":
            send("STATUS=Warming up")
            time.sleep(1.5)
            send("READY=1\nSTATUS=Serving 3 clients")
        elif mode == "gate":
            send("STATUS=Waiting for the gate")
            while not os.path.exists(os.path.join(work, "gate")):
                time.sleep(0.05)
            send("READY=1\nSTATUS=Through the gate")
        elif mode == "watchdog":
            send("READY=1")
            for _ in range(3):
                time.sleep(0.2)
                send("WATCHDOG=1")
            # ...then hangs without pinging
        elif mode == "fork":
            child = os.fork()
            if child == 0:
                send("MAINPID=%d\nREADY=1" % os.getpid())
                time.sleep(3600)
                sys.exit(0)
            time.sleep(1)
            sys.exit(0)                         # the launched process ends; the service lives on in its child
        elif mode == "parent-stays":            # a wrapper that keeps running and reaps its child itself
            child = os.fork()
            if child == 0:
                send("MAINPID=%d\nREADY=1" % os.getpid())
                time.sleep(3600)
                sys.exit(0)
            os.waitpid(child, 0)
            time.sleep(3600)
        time.sleep(3600)
        """;

    private static string? _python;

    /// <summary>The real interpreter (a pyenv shim would not be found by the manager's services).</summary>
    private static string Python()
    {
        if (_python != null) return _python;
        var found = CommandResult.Run("python3", ["-c", "import sys; print(sys.executable)"]);
        if (found.ExitCode != 0) Assert.Ignore("python3 is not installed");
        return _python = found.StdOut.Trim();
    }

    private static (StandaloneManager Manager, string Work) Start(Dictionary<string, string> services)
    {
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinitd-notify.").FullName;
        File.WriteAllText(Path.Combine(work, "svc.py"), Service);
        services["boot"] = "type = internal\n";
        return (StandaloneManager.StartIn(work, services).WaitReady(), work);
    }

    private static string Notified(string work, string mode, string extra = "") =>
        $"type = process\nready-notification = sd_notify\ncommand = {Python()} {work}/svc.py {mode} {work}\n{extra}";

    private static string[] Launches(string work) =>
        File.Exists(Path.Combine(work, "launches")) ? File.ReadAllLines(Path.Combine(work, "launches")) : [];

    [Test]
    public void StartReturnsOnlyOnceTheServiceSaysReadyAndStatusShowsItsStatusText()
    {
        var services = new Dictionary<string, string>();
        var (manager, work) = Start(services);
        File.WriteAllText(Path.Combine(work, "services", "slow"), Notified(work, "slow"));
        using (manager)
        {
            var clock = Stopwatch.StartNew();
            var start = manager.Ctl("start", "slow");
            Assert.That(start.ExitCode, Is.EqualTo(0), start + manager.Output);
            Assert.That(start.StdOut, Does.Contain("Service 'slow' started."));
            Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(1.4)), "start waited for READY=1, sent 1.5 s after the launch");

            var launch = Launches(work).Single().Split(' ');
            Assert.That(launch[1], Is.EqualTo(Path.Combine(work, "ctl.socket.notify")), "NOTIFY_SOCKET is next to the control socket");
            Assert.That(launch[2], Is.EqualTo("-"), "no watchdog asked for, no WATCHDOG_USEC");

            var status = manager.Ctl("status", "slow");
            Assert.That(status.StdOut, Does.Contain("State: STARTED").And.Contain($"    Process ID: {launch[0]}\n    Status: Serving 3 clients\n"), status.ToString());
            Assert.That(manager.Ctl("--json", "status", "slow").StdOut, Does.Contain("\"notifyStatus\":\"Serving 3 clients\""));

            var plain = manager.Ctl("status", "boot").StdOut;
            Assert.That(plain, Does.Not.Contain("Status:"), "a service that said nothing has no status line");
            Assert.That(manager.Ctl("--json", "status", "boot").StdOut, Does.Contain("\"notifyStatus\":null"));

            var socket = Path.Combine(work, "ctl.socket.notify");
            Assert.That(new FileInfo(socket).UnixFileMode, Is.EqualTo((UnixFileMode)0x1B6), "0666: any service user may send; credentials say who");
            Assert.That(manager.Ctl("stop", "slow").ExitCode, Is.EqualTo(0));
            Assert.That(manager.Ctl("stop", "boot").ExitCode, Is.EqualTo(0));
            Assert.That(manager.WaitForExit(), Is.True, manager.Output);
            Assert.That(File.Exists(socket), Is.False, "the socket file goes with the manager");
        }
    }

    [Test]
    public void AServiceThatStopsFeedingItsWatchdogIsKilledAndRestarted()
    {
        var services = new Dictionary<string, string>();
        var (manager, work) = Start(services);
        File.WriteAllText(Path.Combine(work, "services", "dog"),
            Notified(work, "watchdog", "watchdog-timeout = 1\nrestart = yes\nrestart-delay = 0.1\n"));
        using (manager)
        {
            Assert.That(manager.Ctl("start", "dog").ExitCode, Is.EqualTo(0), manager.Output);
            var first = Launches(work).Single().Split(' ');
            Assert.That(first[2], Is.EqualTo("1000000"), "WATCHDOG_USEC is the watchdog-timeout in microseconds");
            Assert.That(Poll.Until(() => Launches(work).Length >= 2), "relaunched after the missed watchdog\n" + manager.Output);
            Assert.That(manager.Output, Does.Contain($"Service dog with pid {first[0]} missed its watchdog (no WATCHDOG=1 within 1 s); killing."));
            Assert.That(Directory.Exists($"/proc/{first[0]}"), Is.False, "the hung process was killed");
            Assert.That(Poll.Until(() => manager.Ctl("status", "dog").StdOut.Contains("State: STARTED")), manager.Output);
        }
    }

    [Test]
    public void ADatagramFromAForeignProcessIsIgnored()
    {
        var services = new Dictionary<string, string>();
        var (manager, work) = Start(services);
        File.WriteAllText(Path.Combine(work, "services", "gated"), Notified(work, "gate"));
        using (manager)
        {
            Assert.That(manager.Ctl("--no-wait", "start", "gated").ExitCode, Is.EqualTo(0), manager.Output);
            Assert.That(Poll.Until(() => manager.Ctl("status", "gated").StdOut.Contains("Status: Waiting for the gate")), manager.Output);

            var foreign = CommandResult.Run(Python(), [Path.Combine(work, "svc.py"), "send", work, "READY=1\nSTATUS=forged"],
                env: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = Path.Combine(work, "ctl.socket.notify") });
            Assert.That(foreign.ExitCode, Is.EqualTo(0), "the datagram was sent: " + foreign);
            Thread.Sleep(500);
            var status = manager.Ctl("status", "gated").StdOut;
            Assert.That(status, Does.Contain("State: STARTING").And.Contain("Status: Waiting for the gate"), "neither READY nor STATUS of a stranger counts");

            File.WriteAllText(Path.Combine(work, "gate"), "");
            Assert.That(Poll.Until(() => manager.Ctl("status", "gated").StdOut.Contains("State: STARTED")), manager.Output);
            Assert.That(manager.Ctl("status", "gated").StdOut, Does.Contain("Status: Through the gate"));
        }
    }

    [Test]
    public void MainPidHandsSupervisionToTheForkedChild()
    {
        var services = new Dictionary<string, string>();
        var (manager, work) = Start(services);
        File.WriteAllText(Path.Combine(work, "services", "forker"), Notified(work, "fork", "restart = no\n"));
        using (manager)
        {
            Assert.That(manager.Ctl("start", "forker").ExitCode, Is.EqualTo(0), manager.Output);
            var launched = int.Parse(Launches(work).Single().Split(' ')[0]);
            Assert.That(Poll.Until(() => !Directory.Exists($"/proc/{launched}") || File.ReadAllText($"/proc/{launched}/stat").Contains(") Z ")),
                "the launched process exits after a second");
            Thread.Sleep(300);
            var status = manager.Ctl("status", "forker").StdOut;
            Assert.That(status, Does.Contain("State: STARTED"), "its exit is not the service's end: " + status + manager.Output);
            var child = int.Parse(status.Split('\n').Single(l => l.Contains("Process ID:")).Split(':')[1].Trim());
            Assert.That(child, Is.Not.EqualTo(launched));
            Assert.That(File.ReadAllText($"/proc/{child}/cmdline"), Does.Contain("svc.py"));

            CommandResult.Run("kill", ["-TERM", child.ToString()]);
            Assert.That(Poll.Until(() => manager.Ctl("status", "forker").StdOut.Contains("State: STOPPED")),
                "the named main process ending ends the service\n" + manager.Output);
        }
    }

    [Test]
    public void AMainPidReapedByItsOwnParentStillEndsTheService()
    {
        var services = new Dictionary<string, string>();
        var (manager, work) = Start(services);
        File.WriteAllText(Path.Combine(work, "services", "wrapped"), Notified(work, "parent-stays", "restart = no\n"));
        using (manager)
        {
            Assert.That(manager.Ctl("start", "wrapped").ExitCode, Is.EqualTo(0), manager.Output);
            var wrapper = int.Parse(Launches(work).Single().Split(' ')[0]);
            var status = manager.Ctl("status", "wrapped").StdOut;
            var child = int.Parse(status.Split('\n').Single(l => l.Contains("Process ID:")).Split(':')[1].Trim());
            Assert.That(child, Is.Not.EqualTo(wrapper), status + manager.Output);

            CommandResult.Run("kill", ["-KILL", child.ToString()]);
            Assert.That(Poll.Until(() => manager.Ctl("status", "wrapped").StdOut.Contains("State: STOPPED")),
                "the manager notices the end of a main process it is not the parent of\n" + manager.Output);
            Assert.That(Directory.Exists($"/proc/{wrapper}"), Is.True, "while the wrapper that reaped it still runs");
        }
    }

    [Test, CancelAfter(180_000)]
    public void UnderTinyinitReadinessSentWhileNoManagerRunsArrivesAfterACrash()
    {
        var scripts = System.IO.Directory.CreateTempSubdirectory("tinyinit-notify.").FullName;
        File.WriteAllText(Path.Combine(scripts, "svc.py"), Service);
        using var init = NamespacedInit.Boot(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\nwaits-for: gated\n",
            ["gated"] = Notified(scripts, "gate"),
        }, "boot");
        Assert.That(Poll.Until(() => init.Ctl("status", "gated").StdOut.Contains("Status: Waiting for the gate")), init.Output);
        var service = int.Parse(Launches(scripts).Single().Split(' ')[0]);   // as the namespace numbers it

        var manager = init.Processes().Single(p => p.Name == "tinyinitd").HostPid;
        CommandResult.Run("kill", ["-KILL", manager.ToString()]);
        // READY=1 goes out at once: most likely while no manager runs, into the socket parked with PID 1.
        File.WriteAllText(Path.Combine(scripts, "gate"), "");

        Assert.That(Poll.Until(() => init.Ctl("status", "gated").StdOut.Contains("State: STARTED")), init.Output);
        var status = init.Ctl("status", "gated").StdOut;
        Assert.That(status, Does.Contain("Status: Through the gate"), status + init.Output);
        Assert.That(Launches(scripts), Has.Length.EqualTo(1), "the same process, not a new one\n" + init.Output);
        Assert.That(status, Does.Contain($"Process ID: {service}\n"));
        Assert.That(init.Output, Does.Not.Contain("notification socket did not survive"));
    }

    [Test]
    public void ReadinessAndStatusSurviveRestartManager()
    {
        var services = new Dictionary<string, string>();
        var (manager, work) = Start(services);
        File.WriteAllText(Path.Combine(work, "services", "gated"), Notified(work, "gate"));
        using (manager)
        {
            Assert.That(manager.Ctl("--no-wait", "start", "gated").ExitCode, Is.EqualTo(0), manager.Output);
            Assert.That(Poll.Until(() => manager.Ctl("status", "gated").StdOut.Contains("Status: Waiting for the gate")), manager.Output);
            var restart = manager.Ctl("restart-manager");
            Assert.That(restart.ExitCode, Is.EqualTo(0), restart + manager.Output);
            Assert.That(Poll.Until(() => manager.HasExited || manager.Ctl("list").ExitCode == 0) && !manager.HasExited, manager.Output);

            var status = manager.Ctl("status", "gated").StdOut;
            Assert.That(status, Does.Contain("State: STARTING").And.Contain("Status: Waiting for the gate"), status + manager.Output);
            File.WriteAllText(Path.Combine(work, "gate"), "");
            Assert.That(Poll.Until(() => manager.Ctl("status", "gated").StdOut.Contains("State: STARTED")),
                "READY=1 sent to the socket the old image opened reaches the new one\n" + manager.Output);
            Assert.That(manager.Ctl("status", "gated").StdOut, Does.Contain("Status: Through the gate"));
            Assert.That(Launches(work), Has.Length.EqualTo(1), "nothing was relaunched");
        }
    }
}
