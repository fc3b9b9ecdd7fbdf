using System.Diagnostics;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.CrossArch;

/// <summary>
/// The binaries built for the other architecture (aarch64 on an x86_64 machine) do what a user
/// does first, under qemu-user: a user-mode manager starts a small set and tinyctl lists it, and
/// tinyinit as PID 1 of a namespace reaps what a killed manager orphaned, and shuts down.
/// Struct layouts that differ
/// by architecture (epoll_event) are exercised by every event the manager handles.
/// </summary>
[TestFixture, NonParallelizable]
public class CrossArchitectureSmokeTests
{
    private static readonly TimeSpan Emulated = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, string> Services = new()
    {
        ["web"] = "type = process\ncommand = /bin/sleep 1009\n",
        ["setup"] = "type = scripted\ncommand = /bin/true\n",
        ["boot"] = "type = internal\ndepends-on: web\ndepends-on: setup\n",
    };

    private static string WriteServices()
    {
        var work = Directory.CreateTempSubdirectory("tinyinit-cross-it.").FullName;
        Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in Services) File.WriteAllText(Path.Combine(work, "services", name), text);
        return work;
    }

    private static Process Launch(IEnumerable<string> command)
    {
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool ListShowsTheSetStarted(CrossBinaries cross, string socket, out CommandResult list)
    {
        list = CommandResult.Run(cross.Path_("tinyctl"), ["-p", socket, "list"], Emulated);
        var text = list.StdOut;
        return list.ExitCode == 0 && text.Contains("[[+]     ] boot") && text.Contains("[{+}     ] web (pid: ")
            && text.Contains("[{+}     ] setup");
    }

    [Test]
    public void AUserModeManagerStartsASetAndTinyctlListsIt()
    {
        using var cross = CrossBinaries.Require();
        var work = WriteServices();
        var socket = Path.Combine(work, "ctl.socket");
        using var manager = Launch([cross.Path_("tinyinitd"), "-u", "-d", Path.Combine(work, "services"), "-p", socket, "boot"]);
        try
        {
            CommandResult list = new(-1, "", "");
            Assert.That(Poll.Until(() => File.Exists(socket) && ListShowsTheSetStarted(cross, socket, out list), Emulated), list.ToString());
            Assert.That(CommandResult.Run(cross.Path_("tinyctl"), ["-p", socket, "shutdown"], Emulated).ExitCode, Is.EqualTo(0));
            Assert.That(manager.WaitForExit(Emulated), Is.True, "the manager did not exit after shutdown");
        }
        finally
        {
            if (!manager.HasExited) manager.Kill(entireProcessTree: true);
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void TinyinitAsPid1ReapsTheOrphansOfAKilledManagerAndShutsDown()
    {
        using var cross = CrossBinaries.Require();
        var work = WriteServices();
        var socket = Path.Combine(work, "ctl.socket");
        using var unshare = Launch(["--default-signal", "unshare", "--pid", "--fork", "--mount-proc", cross.Path_("tinyinit"),
            "--manager", cross.Path_("tinyinitd"), "-d", Path.Combine(work, "services"), "-p", socket, "boot"]);
        try
        {
            CommandResult list = new(-1, "", "");
            Assert.That(Poll.Until(() => File.Exists(socket) && ListShowsTheSetStarted(cross, socket, out list), Emulated), list.ToString());
            var pid1 = ProcessTable.Snapshot().First(p => p.HostParentPid == unshare.Id).HostPid;
            // kill -9 of the manager orphans its service to PID 1; the next manager takes it over
            // from the crash record, and when it ends only tinyinit can reap it: the old process
            // must vanish, not linger as a zombie.
            var manager = ProcessTable.Descendants(pid1).First(p => p.HostParentPid == pid1 && p.CommandLine.Contains("tinyinitd"));
            var oldWeb = ProcessTable.Descendants(pid1).First(p => p.CommandLine == "/bin/sleep 1009").HostPid;
            CommandResult.Run("kill", ["-KILL", manager.HostPid.ToString()]);
            Assert.That(Poll.Until(() => ProcessTable.Descendants(pid1).Any(p => p.CommandLine.Contains("tinyinitd") && p.HostPid != manager.HostPid)
                                         && ListShowsTheSetStarted(cross, socket, out list), Emulated), "no new manager: " + list);
            Assert.That(ProcessTable.Snapshot().Any(p => p.HostPid == oldWeb), Is.True, "the new manager kept the service running");
            CommandResult.Run("kill", ["-KILL", oldWeb.ToString()]);
            Assert.That(Poll.Until(() => ProcessTable.Snapshot().All(p => p.HostPid != oldWeb), Emulated),
                "the orphaned service was never reaped: " + string.Join("\n", ProcessTable.Descendants(pid1)));
            Assert.That(ProcessTable.Descendants(pid1).Where(p => p.State == 'Z'), Is.Empty);
            CommandResult.Run(cross.Path_("tinyctl"), ["-p", socket, "shutdown"], Emulated);
            Assert.That(unshare.WaitForExit(Emulated), Is.True, "the namespace did not end after shutdown");
        }
        finally
        {
            if (!unshare.HasExited) unshare.Kill(entireProcessTree: true);
            Directory.Delete(work, recursive: true);
        }
    }
}
