using Tinyinit.Integration.Tests.Harness;
using Tinyinit.Native;

namespace Tinyinit.Integration.Tests.Launch;

/// <summary>
/// run-in-cgroup (service-files.md §6.26) as /proc/PID/cgroup shows it. The test makes a
/// cgroup v2 subtree of its own. The spec's paths are under /sys/fs/cgroup; on a machine whose
/// /sys/fs/cgroup is a v1 or hybrid layout (v2 at /sys/fs/cgroup/unified), the manager runs in
/// a private mount namespace with the v2 hierarchy bound onto /sys/fs/cgroup.
/// </summary>
[TestFixture, NonParallelizable]
public class CgroupLaunchTests
{
    private string _hierarchy = "";
    private string _subtree = "";   // cgroup path of the test's subtree, e.g. /tinyinit-it-1a2b

    [OneTimeSetUp]
    public void MakeSubtree()
    {
        if (Libc.geteuid() != 0) Assert.Ignore("needs root: creating cgroups and moving processes between them");
        _hierarchy = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' '))
            .Where(f => f.SkipWhile(x => x != "-").Skip(1).FirstOrDefault() == "cgroup2").Select(f => f[4]).FirstOrDefault() ?? "";
        if (_hierarchy == "") Assert.Ignore("no cgroup v2 hierarchy is mounted here");
        _subtree = "/tinyinit-it-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            System.IO.Directory.CreateDirectory(_hierarchy + _subtree + "/absolute");
            System.IO.Directory.CreateDirectory(_hierarchy + _subtree + "/relative");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Assert.Ignore($"cgroup v2 at {_hierarchy} is not writable here: {e.Message}");
        }
    }

    [OneTimeTearDown]
    public void RemoveSubtree()
    {
        if (_subtree == "") return;
        foreach (var leaf in new[] { "absolute", "relative", "" })
        {
            var dir = _hierarchy + _subtree + (leaf == "" ? "" : "/" + leaf);
            // rmdir succeeds once the killed processes have left the cgroup.
            Poll.Until(() =>
            {
                try { System.IO.Directory.Delete(dir); return true; }
                catch (DirectoryNotFoundException) { return true; }
                catch (IOException) { return false; }
            }, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>tinyinitd with /sys/fs/cgroup being the v2 hierarchy (in a mount namespace of its own when it is not).</summary>
    private StandaloneManager StartManager(IReadOnlyDictionary<string, string> services, params string[] args)
    {
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinitd-cg.").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(work, "services"));
        File.WriteAllText(Path.Combine(work, "services", "boot"), "type = internal\n");
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(work, "services", name), text);
        var bind = _hierarchy == "/sys/fs/cgroup" ? "" : $"mount --bind {_hierarchy} /sys/fs/cgroup && ";
        string[] command =
        [
            "--mount", "--propagation", "private", "/bin/sh", "-c", bind + "exec \"$0\" \"$@\"",
            Binaries.Path_("tinyinitd"), "-u", "-d", Path.Combine(work, "services"), "-p", Path.Combine(work, "ctl.socket"), .. args,
        ];
        var manager = StandaloneManager.StartProgram("unshare", work, new Dictionary<string, string>(), command);
        Poll.Until(() => File.Exists(manager.SocketPath) || manager.HasExited);
        if (manager.HasExited && (manager.Output.Contains("unshare:") || manager.Output.Contains("mount:")))
        {
            var output = manager.Output;
            manager.Dispose();
            Assert.Ignore("no private mount namespace with the cgroup v2 hierarchy here: " + output);
        }
        return manager.WaitReady();
    }

    private int Start(StandaloneManager manager, string service, string command)
    {
        var start = manager.Ctl("start", service);
        Assert.That(start.ExitCode, Is.EqualTo(0), start + manager.Output);
        return ProcStatus.ChildRunning(manager.Pid, command);
    }

    private static string CgroupOf(int pid) => File.ReadLines($"/proc/{pid}/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];

    [Test]
    public void AnAbsolutePathIsUnderTheHierarchyARelativeOneUnderTheBasePath()
    {
        using var manager = StartManager(new Dictionary<string, string>
        {
            ["abs"] = $"type = process\ncommand = /bin/sleep 1051\nrun-in-cgroup = {_subtree}/absolute\n",
            ["rel"] = "type = process\ncommand = /bin/sleep 1052\nrun-in-cgroup = relative\n",
            ["none"] = "type = process\ncommand = /bin/sleep 1053\n",
        }, "-b", _subtree);

        Assert.That(CgroupOf(Start(manager, "abs", "sleep 1051")), Is.EqualTo(_subtree + "/absolute"));
        Assert.That(CgroupOf(Start(manager, "rel", "sleep 1052")), Is.EqualTo(_subtree + "/relative"));
        Assert.That(CgroupOf(Start(manager, "none", "sleep 1053")), Is.EqualTo(CgroupOf(manager.Pid)), "no setting: the manager's own cgroup");
    }

    [Test]
    public void AMissingCgroupFailsTheStartAndNothingRuns()
    {
        using var manager = StartManager(new Dictionary<string, string>
        {
            ["lost"] = $"type = process\ncommand = /bin/sleep 1054\nrun-in-cgroup = {_subtree}/missing\n",
        });

        var start = manager.Ctl("start", "lost");

        Assert.That(start.ExitCode, Is.EqualTo(1), start.ToString());
        Assert.That(start.StdOut, Is.EqualTo(
            "Service 'lost' failed to start.\n" +
            "Reason: execution of service process failed:\n" +
            "        Stage: entering cgroup\n" +
            "        Error: No such file or directory\n"));
        Assert.That(ProcessTable.Snapshot().Where(p => p.CommandLine.Contains("sleep 1054")), Is.Empty);
        Assert.That(System.IO.Directory.Exists(_hierarchy + _subtree + "/missing"), Is.False, "the cgroup is not created");
    }
}
