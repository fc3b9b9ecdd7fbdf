using System.Diagnostics;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Hardening;

/// <summary>
/// The control socket as a local user meets it: created with its final mode, never replacing
/// what is not a stale socket, and serving only the peers the kernel vouches for.
/// </summary>
[TestFixture, NonParallelizable, System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ControlSocketAccessTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\nwaits-for: web\n",
        ["web"] = "type = process\ncommand = /bin/sleep 1031\n",
    };

    /// <summary>inotify on the directory: the first moment the socket exists, its mode is read.</summary>
    private const string WatchScript = """
        import ctypes, os, struct, sys
        directory, target = sys.argv[1], sys.argv[2]
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init()
        if fd < 0 or libc.inotify_add_watch(fd, directory.encode(), 0x100) < 0: sys.exit("inotify failed")
        print("watching", flush=True)
        while True:
            buf = os.read(fd, 65536)
            i = 0
            while i < len(buf):
                _, mask, _, length = struct.unpack_from("iIII", buf, i)
                name = buf[i + 16:i + 16 + length].rstrip(b"\0").decode()
                i += 16 + length
                if name == target:
                    print(oct(os.lstat(os.path.join(directory, name)).st_mode & 0o777), flush=True)
                    sys.exit(0)
        """;

    [Test]
    public void TheSocketHasItsFinalModeFromTheMomentItExists()
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in Services) File.WriteAllText(Path.Combine(work, "services", name), text);
        var script = Path.Combine(work, "watch.py");
        File.WriteAllText(script, WatchScript);
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, work, "ctl.socket" }) psi.ArgumentList.Add(a);
        using var watcher = Process.Start(psi)!;
        Assert.That(watcher.StandardOutput.ReadLine(), Is.EqualTo("watching"), "the inotify watcher started");

        // umask 000: a socket created first and chmod-ed afterwards would show up as 0777.
        using var manager = StandaloneManager.StartProgram("/bin/sh", work, new Dictionary<string, string>(),
            "-c", $"umask 000; exec {Binaries.Path_("tinyinitd")} -u -d {work}/services -p {work}/ctl.socket");
        var mode = Task.Run(() => watcher.StandardOutput.ReadLine());
        var seen = mode.Wait(Poll.DefaultTimeout);
        if (!seen) watcher.Kill();
        Assert.That(seen, "inotify saw the socket\n" + manager.Output);
        Assert.That(mode.Result, Is.EqualTo("0o600"), manager.Output);
    }

    [Test]
    public void ARegularFileAtTheSocketPathIsLeftAloneAndTheManagerSaysWhy()
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        var path = Path.Combine(work, "ctl.socket");
        File.WriteAllText(path, "precious\n");
        using var manager = StandaloneManager.StartIn(work, Services);
        Assert.That(manager.WaitForExit(), "a user manager without its socket gives up\n" + manager.Output);
        Assert.That(File.ReadAllText(path), Is.EqualTo("precious\n"));
        Assert.That(manager.Output, Does.Contain($"{path} exists and is not a socket; left alone"));
    }

    [Test]
    public void AStaleSocketIsStillReplaced()
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        var first = StandaloneManager.StartIn(work, Services).WaitReady();
        Process.GetProcessById(first.Pid).Kill(); // the socket file stays behind, nobody listening on it
        Assert.That(first.WaitForExit(), Is.True);
        Assert.That(File.Exists(first.SocketPath), "a killed manager leaves its socket file");
        using var second = StandaloneManager.StartIn(work, Services).WaitReady();
        Assert.That(Poll.Until(() => second.Ctl("list").ExitCode == 0), second.Output);
    }

    [Test]
    public void ANonRootClientIsRefusedOnTheSystemSocketEvenWhenItCanConnect()
    {
        using var manager = SystemManager(out var work);
        // Simulate a careless chmod: the kernel's peer credentials still decide.
        File.SetUnixFileMode(Path.Combine(work, "ctl.socket"), (UnixFileMode)0x1B6);
        var list = AsNobody(work, null, "list");
        Assert.That(list.ExitCode, Is.EqualTo(1), list.ToString());
        Assert.That(list.StdErr, Does.Contain("tinyctl: permission denied: the system service manager serves root only"), list.ToString());
        Assert.That(manager.Ctl("list").ExitCode, Is.EqualTo(0), "root is still served\n" + manager.Output);
    }

    [TestCase("4242", TestName = "ASocketGroupMemberCanListAndQueryButNotStop")]
    [TestCase("users", TestName = "ASocketGroupNamedByNameLetsItsMembersQueryButNotStop")]
    public void ASocketGroupMemberCanListAndQueryButNotStop(string group)
    {
        using var manager = SystemManager(out var work, "--socket-group", group);
        Assert.That(Poll.Until(() => manager.Ctl("status", "web").StdOut.Contains("STARTED")), manager.Output);
        var socket = new FileInfo(Path.Combine(work, "ctl.socket"));
        Assert.That(socket.UnixFileMode, Is.EqualTo((UnixFileMode)0x1B0), "0660 for the group");

        var list = AsNobody(work, group, "list");
        Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
        Assert.That(list.StdOut, Does.Contain("web"));
        Assert.That(AsNobody(work, group, "is-started", "web").ExitCode, Is.EqualTo(0));
        Assert.That(AsNobody(work, group, "status", "web").StdOut, Does.Contain("STARTED"));

        var stop = AsNobody(work, group, "stop", "web");
        Assert.That(stop.ExitCode, Is.EqualTo(1), stop.ToString());
        Assert.That(stop.StdErr, Does.Contain($"tinyctl: permission denied: only root may do this; members of group {group} may only query"), stop.ToString());
        Assert.That(manager.Ctl("status", "web").StdOut, Does.Contain("STARTED"), "the service was not stopped");

        var outsider = AsNobody(work, null, "list");
        Assert.That(outsider.ExitCode, Is.Not.EqualTo(0), "not in the group: the socket's mode keeps it out");
    }

    [Test]
    public void AUserManagerServesItsOwnUidOnly()
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        File.SetUnixFileMode(work, (UnixFileMode)0x1ED);
        using var manager = StandaloneManager.StartIn(work, Services).WaitReady();
        File.SetUnixFileMode(Path.Combine(work, "ctl.socket"), (UnixFileMode)0x1B6);
        var list = AsNobody(work, null, "list");
        Assert.That(list.StdErr, Does.Contain("tinyctl: permission denied: this service manager serves uid 0 only"), list.ToString());
    }

    /// <summary>tinyinitd in system mode (not PID 1, no tinyinit: not the system manager) in a directory others may enter.</summary>
    private static StandaloneManager SystemManager(out string work, params string[] extra)
    {
        work = Directory.CreateTempSubdirectory("tinyinitd-it.").FullName;
        File.SetUnixFileMode(work, (UnixFileMode)0x1ED); // 0755: nobody may reach the socket
        Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in Services) File.WriteAllText(Path.Combine(work, "services", name), text);
        var manager = StandaloneManager.StartProgram(Binaries.Path_("tinyinitd"), work, new Dictionary<string, string>(),
            ["-s", "-d", Path.Combine(work, "services"), "-p", Path.Combine(work, "ctl.socket"), .. extra]);
        return manager.WaitReady();
    }

    private static CommandResult AsNobody(string work, string? gid, params string[] args) =>
        CommandResult.Run("setpriv",
            ["--reuid=nobody", gid == null ? "--regid=nogroup" : $"--regid={gid}", "--clear-groups",
             Binaries.Path_("tinyctl"), "-p", Path.Combine(work, "ctl.socket"), .. args]);
}
