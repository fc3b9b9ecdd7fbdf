using System.Diagnostics;
using System.Net.Sockets;
using Tinyinit.Integration.Tests.Harness;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Integration.Tests.Hardening;

/// <summary>
/// Floods of clients and a manager out of descriptors: established clients are still served,
/// services are still supervised, the manager logs once and serves again once descriptors free up.
/// </summary>
[TestFixture, NonParallelizable]
public class ExhaustionTests
{
    private static Dictionary<string, string> Services => new()
    {
        ["boot"] = "type = internal\nwaits-for: worker\n",
        ["worker"] = "type = process\ncommand = /bin/sleep 1041\nrestart = yes\nrestart-delay = 0.1\nrestart-limit-count = 0\n",
    };

    [Test]
    public void TenThousandSimultaneousClientsLeaveTheManagerServingAndSupervising()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        Assert.That(Poll.Until(() => Worker(manager) != null), manager.Output);
        using var established = Connect(manager.SocketPath);
        Assert.That(Exchange(established, ControlRequests.QueryVersion())[0], Is.EqualTo((byte)ReplyCode.CpVersion));

        var flood = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var sockets = new List<Socket>();
            for (var i = 0; i < 2500; i++) sockets.Add(Connect(manager.SocketPath));
            return sockets;
        })).ToArray();
        var first = Worker(manager)!;
        Process.GetProcessById(first.HostPid).Kill();
        Assert.That(Task.WaitAll(flood, TimeSpan.FromMinutes(3)), "every client connected\n" + manager.Output);
        var clients = flood.SelectMany(t => t.Result).ToList();
        try
        {
            Assert.That(clients, Has.Count.EqualTo(10_000));
            Assert.That(Exchange(established, ControlRequests.ListServices(v5: false))[0], Is.EqualTo((byte)ReplyCode.ServiceInfo),
                "the established client is served during the flood");
            Assert.That(Poll.Until(() => Worker(manager) is { } now && now.HostPid != first.HostPid), "the worker restarts\n" + manager.Output);
            // Over the per-uid cap the manager answers NOTPERMITTED and closes at once.
            int Answered() => clients.Count(c => c.Poll(0, SelectMode.SelectRead));
            Assert.That(Poll.Until(() => Answered() >= 10_000 - 128, TimeSpan.FromMinutes(2)), $"{Answered()} clients answered\n" + manager.Output);
            var sample = clients.Where(c => c.Poll(0, SelectMode.SelectRead)).Take(100).Select(Receive).ToList();
            Assert.That(sample.Select(r => r.Length > 0 ? r[0] : 0), Is.All.EqualTo((byte)ReplyCode.NotPermitted));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
        Assert.That(Poll.Until(() => manager.Ctl("list").ExitCode == 0), manager.Output);
        Assert.That(manager.HasExited, Is.False);
        Assert.That(manager.Output.Split('\n').Count(l => l.Contains("control", StringComparison.OrdinalIgnoreCase)), Is.LessThan(5),
            "no line per client\n" + manager.Output[..Math.Min(2000, manager.Output.Length)]);
    }

    /// <summary>
    /// 200: the manager stops accepting at its own cap (its limit minus a reserve for services),
    /// so a killed service still restarts. 24: so few descriptors that accept itself fails with
    /// EMFILE. Either way: one log line, then clients are served again once others leave.
    /// </summary>
    [TestCase(200, true)]
    [TestCase(24, false)]
    public void AtTheDescriptorLimitTheManagerLogsOnceAndAcceptsAgainWhenDescriptorsFreeUp(int limit, bool checkRestart)
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in Services) File.WriteAllText(Path.Combine(work, "services", name), text);
        using var manager = StandaloneManager.StartProgram("/bin/sh", work, new Dictionary<string, string>(),
            "-c", $"ulimit -n {limit}; exec {Binaries.Path_("tinyinitd")} -u -d {work}/services -p {work}/ctl.socket --connections-per-uid 100000").WaitReady();
        Assert.That(Poll.Until(() => Worker(manager) != null), manager.Output);
        using var established = Connect(manager.SocketPath);
        Assert.That(Exchange(established, ControlRequests.QueryVersion())[0], Is.EqualTo((byte)ReplyCode.CpVersion));

        var clients = Enumerable.Range(0, 400).Select(_ => Connect(manager.SocketPath)).ToList();
        try
        {
            Assert.That(Poll.Until(() => manager.Output.Contains("Not accepting control connections for now")), manager.Output);
            Assert.That(Exchange(established, ControlRequests.ListServices(v5: false))[0], Is.EqualTo((byte)ReplyCode.ServiceInfo),
                "the established client is served at the limit");
            if (checkRestart)
            {
                var first = Worker(manager)!;
                Process.GetProcessById(first.HostPid).Kill();
                Assert.That(Poll.Until(() => Worker(manager) is { } now && now.HostPid != first.HostPid), "the worker restarts\n" + manager.Output);
            }
            Thread.Sleep(1000); // several retry rounds: still one line
            Assert.That(Occurrences(manager.Output, "Not accepting control connections for now"), Is.EqualTo(1), manager.Output);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
        Assert.That(Poll.Until(() => manager.Ctl("list").ExitCode == 0), "served again\n" + manager.Output);
        Assert.That(manager.Output, Does.Contain("Accepting control connections again"));
        Assert.That(manager.HasExited, Is.False);
    }

    private static ProcInfo? Worker(StandaloneManager manager) =>
        ProcessTable.Snapshot().FirstOrDefault(p => p.CommandLine == "/bin/sleep 1041" && p.HostParentPid == manager.Pid);

    private static int Occurrences(string text, string what) => text.Split(what).Length - 1;

    private static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static byte[] Exchange(Socket socket, byte[] request)
    {
        socket.Send(request);
        socket.ReceiveTimeout = (int)Poll.DefaultTimeout.TotalMilliseconds;
        return Receive(socket);
    }

    private static byte[] Receive(Socket socket)
    {
        var buffer = new byte[65536];
        try
        {
            var n = socket.Receive(buffer);
            return buffer[..n];
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
