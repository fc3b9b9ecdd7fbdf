using System.Net.Sockets;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Launch;

/// <summary>
/// <c>socket-listen</c> (issue 12, semantics.md §12) against real processes: the manager
/// creates the sockets with the configured owner and mode, the service finds them listening at
/// fd 3, 4, … with the LISTEN_* variables, and the manager keeps them open while the service
/// restarts — across <c>restart-manager</c> and a <c>kill -9</c> of the manager too — so a
/// client that connects while the service is down is served by the next instance.
/// </summary>
[TestFixture, NonParallelizable]
public class SocketActivationTests
{
    /// <summary>
    /// A socket-activated echo service: records its pid, LISTEN_* and what it finds at fd 3.., then
    /// answers every connection on any of its sockets with "hello PID fd N".
    /// </summary>
    private const string ServiceScript = """
        import os, select, socket, sys
        work = sys.argv[1]
        pid = os.getpid()
        n = int(os.environ.get("LISTEN_FDS", "0"))
        lines = [f"pid={pid}"] + [f"{k}={os.environ.get(k, '<unset>')}" for k in ("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "READY_FD")]
        sockets = []
        for fd in range(3, 3 + n):
            s = socket.socket(fileno=fd)
            listening = s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
            name = s.getsockname()
            name = "@" + name[1:].decode() if isinstance(name, bytes) else name
            lines.append(f"fd{fd}={s.family.name} {s.type.name} listening={listening} {name}")
            sockets.append(s)
        with open(f"{work}/env.tmp", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.rename(f"{work}/env.tmp", f"{work}/env.{pid}")
        if "READY_FD" in os.environ:
            os.write(int(os.environ["READY_FD"]), b"\n")
        while True:
            ready, _, _ = select.select(sockets, [], [])
            for s in ready:
                try:
                    c, _ = s.accept()
                except BlockingIOError:
                    continue
                c.setblocking(True)
                c.sendall(f"hello {pid} fd {s.fileno()}\n".encode())
                c.close()
        """;

    private string _work = "";

    [SetUp]
    public void CreateWorkDirectory() => _work = System.IO.Directory.CreateTempSubdirectory("tinyinit-sockets.").FullName;

    [TearDown]
    public void RemoveWorkDirectory()
    {
        try { System.IO.Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    private string WebSocket => Path.Combine(_work, "web.sock");
    private string AbstractName => "tinyinit-test-" + Path.GetFileName(_work);

    private Dictionary<string, string> Services(string extra = "")
    {
        var script = Path.Combine(_work, "echo.py");
        File.WriteAllText(script, ServiceScript);
        return new()
        {
            ["boot"] = "type = internal\n",
            ["web"] = "type = process\nrestart = yes\nrestart-delay = 2\n" +
                      $"command = {Python.Path} {script} {_work}\n" +
                      $"socket-listen = {WebSocket}\nsocket-listen += @{AbstractName}\n" +
                      "socket-permissions = 640\nsocket-uid = daemon\n" + extra,
        };
    }

    [Test]
    public void TheServiceGetsListeningSocketsWithItsOwnerModeAndListenVariables()
    {
        var stale = CommandResult.Run(Python.Path, ["-c", $"import socket; socket.socket(socket.AF_UNIX).bind('{WebSocket}')"]);
        Assert.That(stale.ExitCode, Is.EqualTo(0), "a stale socket file, nobody listening: " + stale);
        using var manager = StandaloneManager.StartIn(_work, Services("ready-notification = pipevar:READY_FD\n")).WaitReady();
        Assert.That(manager.Ctl("start", "web").ExitCode, Is.EqualTo(0), "started once it wrote to READY_FD\n" + manager.Output);
        var env = WaitForInstance(manager, previousPid: 0);

        var stat = CommandResult.Run("stat", ["-c", "%F %a %u %g", WebSocket]);
        Assert.That(stat.StdOut.Trim(), Is.EqualTo("socket 640 1 1"),
            "a socket with socket-permissions, owned by socket-uid (daemon, by name) and that user's primary group");

        Assert.That(env["LISTEN_FDS"], Is.EqualTo("2"));
        Assert.That(env["LISTEN_PID"], Is.EqualTo(env["pid"]), "LISTEN_PID is the service's own pid");
        Assert.That(env["READY_FD"], Is.EqualTo("5"), "the readiness descriptor comes after the sockets");
        Assert.That(env["LISTEN_FDNAMES"], Is.EqualTo($"web.sock:{AbstractName}"));
        Assert.That(env["fd3"], Is.EqualTo($"AF_UNIX SOCK_STREAM listening=1 {WebSocket}"));
        Assert.That(env["fd4"], Is.EqualTo($"AF_UNIX SOCK_STREAM listening=1 @{AbstractName}"));
        Assert.That(Hello(WebSocket), Is.EqualTo($"hello {env["pid"]} fd 3"), "a connection to the file reaches fd 3");
        Assert.That(HelloAbstract(AbstractName), Is.EqualTo($"hello {env["pid"]} fd 4"), "the abstract socket is fd 4");
    }

    [Test]
    public void AConnectionMadeWhileTheServiceIsDownIsServedByTheNextInstanceAlsoAcrossRestartManager()
    {
        using var manager = StandaloneManager.StartIn(_work, Services()).WaitReady();
        Assert.That(manager.Ctl("start", "web").ExitCode, Is.EqualTo(0), manager.Output);
        var first = WaitForInstance(manager, previousPid: 0);

        var second = KillAndConnectWhileDown(manager, first);
        Assert.That(manager.Ctl("restart-manager").ExitCode, Is.EqualTo(0), manager.Output);
        Assert.That(Poll.Until(() => manager.Ctl("list").ExitCode == 0), manager.Output);
        KillAndConnectWhileDown(manager, second);

        Assert.That(manager.Ctl("stop", "web").ExitCode, Is.EqualTo(0), manager.Output);
        var refused = Assert.Throws<SocketException>(() => Hello(WebSocket), "stopped for good: the socket is closed");
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
        Assert.That(File.Exists(WebSocket), Is.True, "the socket file stays, as the reference leaves it");
    }

    [Test]
    public void TheSocketsSurviveAKilledManagerUnderTinyinit()
    {
        using var init = NamespacedInit.Boot(Services());
        Assert.That(init.Ctl("start", "web").ExitCode, Is.EqualTo(0), init.Output);
        Assert.That(Poll.Until(() => EnvFiles().Count == 1), init.Output);
        var first = ReadEnv(EnvFiles()[0]);
        Assert.That(Hello(WebSocket), Is.EqualTo($"hello {first["pid"]} fd 3"));

        var manager = init.Processes().First(p => p.Name == "tinyinitd" && p.State != 'Z').HostPid;
        CommandResult.Run("kill", ["-KILL", manager.ToString()]);
        Assert.That(Poll.Until(() => init.Processes().Any(p => p.Name == "tinyinitd" && p.State != 'Z' && p.HostPid != manager)
                                     && init.Ctl("list").ExitCode == 0), init.Output);

        var service = init.Processes().First(p => p.CommandLine.Contains("echo.py") && p.State != 'Z').HostPid;
        CommandResult.Run("kill", ["-KILL", service.ToString()]);
        using var client = Connect(WebSocket);
        Assert.That(Poll.Until(() => init.Ctl("status", "web").StdOut.Contains("STARTED") && EnvFiles().Count == 2), init.Output);
        var next = ReadEnv(EnvFiles().Single(f => !f.EndsWith("." + first["pid"])));
        Assert.That(ReadLine(client), Is.EqualTo($"hello {next["pid"]} fd 3"),
            "the socket the new manager lends is the one the client connected to\n" + init.Output);
    }

    [Test]
    public void APathThatIsNotASocketIsLeftAloneAndTheStartFails()
    {
        File.WriteAllText(WebSocket, "precious");
        using var manager = StandaloneManager.StartIn(_work, Services()).WaitReady();
        var start = manager.Ctl("start", "web");
        Assert.That(start.ExitCode, Is.Not.EqualTo(0), start.ToString());
        Assert.That(File.ReadAllText(WebSocket), Is.EqualTo("precious"));
        Assert.That(Poll.Until(() => manager.Output.Contains("web: activation socket file exists (and is not a socket)")), manager.Output);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /// <summary>Kills the running instance, connects at once (the restart delay keeps the service down), and returns the next instance.</summary>
    private Dictionary<string, string> KillAndConnectWhileDown(StandaloneManager manager, Dictionary<string, string> current)
    {
        CommandResult.Run("kill", ["-KILL", current["pid"]]);
        Assert.That(Poll.Until(() => !File.Exists($"/proc/{current["pid"]}/status") || File.ReadAllText($"/proc/{current["pid"]}/status").Contains("State:\tZ")));
        using var client = Connect(WebSocket);
        var next = WaitForInstance(manager, int.Parse(current["pid"]));
        Assert.That(ReadLine(client), Is.EqualTo($"hello {next["pid"]} fd 3"), "the connection waited in the kept socket\n" + manager.Output);
        return next;
    }

    private Dictionary<string, string> WaitForInstance(StandaloneManager manager, int previousPid)
    {
        string? file = null;
        Assert.That(Poll.Until(() => (file = EnvFiles().FirstOrDefault(f => !f.EndsWith("." + previousPid) && !Seen.Contains(f))) != null),
            "the service never started\n" + manager.Output);
        Seen.Add(file!);
        return ReadEnv(file!);
    }

    private HashSet<string> Seen { get; } = [];

    private List<string> EnvFiles() => System.IO.Directory.GetFiles(_work, "env.*").Where(f => !f.EndsWith(".tmp")).ToList();

    private static Dictionary<string, string> ReadEnv(string file) =>
        File.ReadAllLines(file).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 30_000 };
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static string Hello(string path)
    {
        using var socket = Connect(path);
        return ReadLine(socket);
    }

    private static string HelloAbstract(string name)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 30_000 };
        socket.Connect(new UnixDomainSocketEndPoint("\0" + name));
        return ReadLine(socket);
    }

    private static string ReadLine(Socket socket)
    {
        var buffer = new byte[256];
        var text = "";
        while (!text.EndsWith('\n'))
        {
            var n = socket.Receive(buffer);
            if (n == 0) break;
            text += System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
        return text.TrimEnd('\n');
    }
}
