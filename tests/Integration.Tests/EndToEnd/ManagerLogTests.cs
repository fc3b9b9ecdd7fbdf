using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// The manager's own log (issue 13) as an administrator meets it: syslog from the first
/// started <c>starts-log</c> service on (earlier entries kept and sent first), status lines
/// held while a service owns the console, a console nobody reads losing lines and saying how
/// many, the <c>-l</c> file's level, and early boot messages in the kernel log.
/// </summary>
[TestFixture, NonParallelizable]
public class ManagerLogTests
{
    /// <summary>RFC 3164 as syslog(3) sends it: &lt;PRI&gt;Mmm dd hh:mm:ss tag[pid]: text.</summary>
    private static readonly Regex SyslogLine = new(@"^<(?<pri>\d+)>(?<month>[A-Z][a-z]{2}) (?<day>[ 1-3]\d) \d\d:\d\d:\d\d (?<tag>[^\[ ]+)\[(?<pid>\d+)\]: (?<text>.*)$");

    [Test]
    public void SyslogReceivesTheMainLogOnceAStartsLogServiceHasStartedWithEarlierEntriesFirst()
    {
        var work = Directory.CreateTempSubdirectory("tinyinit-syslog.").FullName;
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(work, "syslog.sock")));
            var services = new Dictionary<string, string>
            {
                ["boot"] = "type = internal\n",
                ["early"] = "type = process\ncommand = /bin/sleep 1000\n",
                ["broken"] = "type = process\ncommand = /nonexistent/program\n",
                ["syslogd"] = "type = internal\noptions = starts-log\n",
            };
            using var manager = StartWithDevLog(work, services);
            manager.WaitReady();
            Ok(manager.Ctl("start", "early"));
            manager.Ctl("start", "broken");
            Assert.That(listener.Available, Is.Zero, "nothing may go to /dev/log before a starts-log service has started");

            Ok(manager.Ctl("start", "syslogd"));
            var received = Receive(listener, until: text => text == "service syslogd started.");
            var parsed = received.Select(r => SyslogLine.Match(r)).ToList();
            Assert.That(parsed.All(m => m.Success), "not RFC 3164:\n" + string.Join("\n", received));
            Assert.That(parsed.Select(m => m.Groups["tag"].Value).Distinct(), Is.EqualTo(new[] { "tinyinitd" }));
            Assert.That(parsed.Select(m => int.Parse(m.Groups["pid"].Value)).Distinct(), Is.EqualTo(new[] { manager.Pid }));

            var texts = parsed.Select(m => m.Groups["text"].Value).ToList();
            var early = texts.IndexOf("service early started.");
            var broken = texts.IndexOf("service broken failed to start.");
            Assert.That(early, Is.GreaterThanOrEqualTo(0), string.Join("\n", received));
            Assert.That(broken, Is.GreaterThan(early), "kept entries are sent oldest first:\n" + string.Join("\n", received));
            Assert.That(texts[^1], Is.EqualTo("service syslogd started."));
            // facility daemon (3): notice (5) for info, err (3) for errors
            Assert.That(parsed[early].Groups["pri"].Value, Is.EqualTo("29"));
            Assert.That(parsed[broken].Groups["pri"].Value, Is.EqualTo("27"));

            Ok(manager.Ctl("stop", "early"));
            var after = Receive(listener, until: text => text == "service early stopped.");
            Assert.That(after.Select(r => SyslogLine.Match(r).Groups["text"].Value), Does.Contain("service early stopped."));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    [Test]
    public void StatusLinesWhileAServiceOwnsTheConsoleAreShownWhenItReleasesIt()
    {
        var gate = Path.Combine(Path.GetTempPath(), $"tinyinit-console-gate-{Guid.NewGuid():N}");
        var services = new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["con"] = $"type = scripted\ncommand = /bin/sh -c \"while [ ! -e {gate} ]; do sleep 0.05; done\"\noptions = starts-on-console\n",
            ["other"] = "type = internal\n",
        };
        using var manager = StandaloneManager.Start(services).WaitReady();
        try
        {
            Ok(manager.Ctl("--no-wait", "start", "con"));
            Assert.That(Poll.Until(() => manager.Ctl("status", "con").StdOut.Contains("holding console")), manager.Ctl("status", "con").StdOut);
            Ok(manager.Ctl("start", "other"));
            Assert.That(manager.Output, Does.Not.Contain("[  OK  ] other"), "held back while con owns the console");

            File.WriteAllText(gate, "");
            Assert.That(Poll.Until(() => manager.Output.Contains("[  OK  ] con")), manager.Output);
            var output = manager.Output;
            Assert.That(output, Does.Contain("[  OK  ] other"), "held status lines are written once the console is released");
            Assert.That(output.IndexOf("[  OK  ] other", StringComparison.Ordinal), Is.LessThan(output.IndexOf("[  OK  ] con", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Test]
    public void AConsoleNobodyReadsLosesWholeLinesAndSaysHowMany()
    {
        const int count = 3000;
        const string longName = "service-with-a-name-long-enough-to-fill-the-console-pipe-";    // 3000 lines: ~200 KiB
        var work = Directory.CreateTempSubdirectory("tinyinit-blocked.").FullName;
        try
        {
            var dir = Path.Combine(work, "services");
            Directory.CreateDirectory(dir);
            var boot = new StringBuilder("type = internal\n");
            for (var i = 0; i < count; i++)
            {
                File.WriteAllText(Path.Combine(dir, $"{longName}{i}"), "type = internal\n");
                boot.Append($"depends-on: {longName}{i}\n");
            }
            File.WriteAllText(Path.Combine(dir, "big"), boot.ToString());
            File.WriteAllText(Path.Combine(dir, "boot"), "type = internal\n");
            var socket = Path.Combine(work, "ctl.socket");
            var psi = new ProcessStartInfo(Binaries.Path_("tinyinitd")) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-u", "-d", dir, "-p", socket }) psi.ArgumentList.Add(a);
            using var manager = Process.Start(psi)!;
            try
            {
                Assert.That(Poll.Until(() => File.Exists(socket)), "control socket never appeared");
                // Nobody reads stdout while `big` starts: its status lines fill the pipe.
                var ctl = CommandResult.Run(Binaries.Path_("tinyctl"), ["-p", socket, "start", "big"]);
                Ok(ctl);

                const int expected = count + 2;    // the 3000, big, and boot (started at launch)
                var okLines = 0;
                long discarded = 0;
                var notice = new Regex(@"^tinyinitd: \*\*\* (\d+) log message\(s\) discarded due to full buffer \*\*\*$");
                var reader = Task.Run(() =>
                {
                    while (manager.StandardOutput.ReadLine() is { } line)
                    {
                        if (line.StartsWith("[  OK  ] ", StringComparison.Ordinal)) okLines++;
                        else if (notice.Match(line) is { Success: true } m) discarded += long.Parse(m.Groups[1].Value);
                        else Assert.Fail("not a whole line: " + line);
                        if (okLines + discarded >= expected) return;
                    }
                });
                Assert.That(reader.Wait(Poll.DefaultTimeout), $"{okLines} status lines and {discarded} reported as discarded; expected {expected} in all");
                Assert.That(discarded, Is.GreaterThan(0), "the pipe cannot have held every line");
                Assert.That(okLines + discarded, Is.EqualTo(expected), "every status line was either written or counted");
            }
            finally
            {
                manager.Kill(entireProcessTree: true);
                manager.WaitForExit(5000);
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    [Test]
    public void TheLogFileHoldsWhatItsLevelLetsThrough()
    {
        var services = new Dictionary<string, string>
        {
            ["boot"] = "type = internal\ndepends-on: good\n",
            ["good"] = "type = process\ncommand = /bin/sleep 1000\n",
            ["broken"] = "type = process\ncommand = /nonexistent/program\n",
        };
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        var logFile = Path.Combine(work, "main.log");
        using var manager = StandaloneManager.StartIn(work, services, "-l", logFile, "--log-level", "error").WaitReady();
        manager.Ctl("start", "broken");
        Assert.That(Poll.Until(() => File.Exists(logFile) && File.ReadAllText(logFile).Contains("service broken failed to start.")),
            File.Exists(logFile) ? File.ReadAllText(logFile) : "no log file");
        var text = File.ReadAllText(logFile);
        Assert.That(text, Does.Contain("tinyinitd: service broken failed to start.\n"));
        Assert.That(text, Does.Not.Contain("service good started."), "info is below --log-level error");
        Assert.That(manager.Output, Does.Contain("[  OK  ] good"), "the console's status lines do not depend on the main log's level");
    }

    [Test]
    public void TheSystemManagerWritesEarlyBootMessagesToTheKernelLog()
    {
        if (!CanReadKernelLog()) Assert.Ignore("the kernel log (dmesg) cannot be read here");
        var probe = $"kmsgprobe{Environment.ProcessId}x{Random.Shared.Next(1000000)}";
        using var init = NamespacedInit.Boot(new Dictionary<string, string>
        {
            ["boot"] = $"type = internal\ndepends-on: {probe}\n",
            [probe] = "type = internal\n",
        });
        Assert.That(Poll.Until(() => KernelLog().Contains($"daemon:notice: ") && KernelLog().Contains($"tinyinitd: service {probe} started.")),
            "not in dmesg: " + string.Join("\n", KernelLog().Split('\n').TakeLast(10)));
        var line = KernelLog().Split('\n').Last(l => l.Contains($"tinyinitd: service {probe} started."));
        Assert.That(line, Does.StartWith("daemon:notice: "), "facility daemon, severity notice (info)");
    }

    private static void Ok(CommandResult result) => Assert.That(result.ExitCode, Is.Zero, result.ToString());

    private static bool CanReadKernelLog()
    {
        try { return CommandResult.Run("dmesg", ["-x"]).ExitCode == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    private static string KernelLog() => CommandResult.Run("dmesg", ["-x"]).StdOut;

    /// <summary>
    /// tinyinitd -s (the system's service manager: syslog is its main log) in a mount namespace of its own whose /dev/log is the test's listening socket:
    /// /dev is covered with a directory holding /dev/null and friends plus that socket, so the
    /// host's /dev stays untouched.
    /// </summary>
    private static StandaloneManager StartWithDevLog(string work, IReadOnlyDictionary<string, string> services)
    {
        Binaries.Require("tinyinitd", "tinyctl");
        Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(work, "services", name), text);
        const string script = """
            set -e
            W="$1"; shift
            mkdir "$W/dev"
            for n in null zero full random urandom tty; do touch "$W/dev/$n"; mount --bind "/dev/$n" "$W/dev/$n"; done
            touch "$W/dev/log"
            mount --bind "$W/syslog.sock" "$W/dev/log"
            mount --rbind "$W/dev" /dev
            exec "$@"
            """;
        return StandaloneManager.StartProgram("unshare", work, new Dictionary<string, string>(),
            "--mount", "--propagation", "private", "sh", "-c", script, "sh", work,
            Binaries.Path_("tinyinitd"), "-s", "-d", Path.Combine(work, "services"), "-p", Path.Combine(work, "ctl.socket"));
    }

    /// <summary>Datagrams until one whose text satisfies <paramref name="until"/> (generous deadline).</summary>
    private static List<string> Receive(Socket listener, Func<string, bool> until)
    {
        var received = new List<string>();
        var buffer = new byte[8192];
        listener.ReceiveTimeout = (int)Poll.DefaultTimeout.TotalMilliseconds;
        while (true)
        {
            int n;
            try { n = listener.Receive(buffer); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                Assert.Fail("syslog datagrams stopped before the expected one:\n" + string.Join("\n", received));
                throw;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, n);
            received.Add(text);
            if (SyslogLine.Match(text) is { Success: true } m && until(m.Groups["text"].Value)) return received;
        }
    }
}
