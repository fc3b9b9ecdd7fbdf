using System.Text.RegularExpressions;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// The settings the launcher applies between fork and exec (semantics.md §9.6 steps 6-11),
/// asserted on what the running process actually got, as /proc shows it. The manager runs as
/// root in a mount namespace of its own where /etc/passwd and /etc/group are the test's (a
/// service user with supplementary groups, whatever the machine has).
/// </summary>
[TestFixture, NonParallelizable, System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class LaunchSettingsTests
{
    private const int ServiceUid = 4242, ServiceGid = 4242, OtherUid = 4243;

    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\nsvcuser:x:4242:4242:Service user:/home/svcuser:/bin/dash\n";
    private const string Groups = "root:x:0:\nsvcgroup:x:4242:\nextra1:x:4300:svcuser\nextra2:x:4301:nobody,svcuser\nunrelated:x:4302:nobody\n";

    [Test]
    public void RunAsByNameGivesTheUsersIdsItsGroupsAndItsPasswdVariables()
    {
        using var manager = Start(new() { ["svc"] = "type = process\ncommand = /bin/sleep 2101\nrun-as = svcuser\nload-options = export-passwd-vars\n" });
        var pid = StartAndGetPid(manager, "svc");

        var status = Status(pid);
        Assert.That(status["Uid"], Is.EqualTo($"{ServiceUid}\t{ServiceUid}\t{ServiceUid}\t{ServiceUid}"));
        Assert.That(status["Gid"], Is.EqualTo($"{ServiceGid}\t{ServiceGid}\t{ServiceGid}\t{ServiceGid}"));
        Assert.That(status["Groups"], Is.EqualTo("4242 4300 4301"));
        Assert.That(Environment(pid), Is.SupersetOf(new[] { "USER=svcuser", "LOGNAME=svcuser", "HOME=/home/svcuser", "SHELL=/bin/dash", "UID=4242", "GID=4242" }));
    }

    [Test]
    public void RunAsByNumberKeepsTheManagersGroupAndNoSupplementaryGroups()
    {
        using var manager = Start(new() { ["svc"] = $"type = process\ncommand = /bin/sleep 2102\nrun-as = {OtherUid}\n" });
        var pid = StartAndGetPid(manager, "svc");

        var status = Status(pid);
        Assert.That(status["Uid"], Is.EqualTo($"{OtherUid}\t{OtherUid}\t{OtherUid}\t{OtherUid}"));
        Assert.That(status["Gid"], Is.EqualTo("0\t0\t0\t0"));
        Assert.That(status["Groups"], Is.Empty);
    }

    [Test]
    public void TheProcessRunsInItsWorkingDirectoryOrElseItsServiceDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("tinyinit-cwd.").FullName;
        try
        {
            using var manager = Start(new()
            {
                ["here"] = $"type = process\ncommand = /bin/sleep 2103\nworking-dir = {dir}\n",
                ["default"] = "type = process\ncommand = /bin/sleep 2104\n",
            });
            Assert.That(new DirectoryInfo($"/proc/{StartAndGetPid(manager, "here")}/cwd").LinkTarget, Is.EqualTo(dir));
            Assert.That(new DirectoryInfo($"/proc/{StartAndGetPid(manager, "default")}/cwd").LinkTarget, Is.EqualTo(Path.Combine(manager.WorkDir, "services")));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Test]
    public void ResourceLimitsAreSetAndAnUnspecifiedHalfKeepsTheManagersValue()
    {
        using var manager = Start(new()
        {
            ["svc"] = "type = process\ncommand = /bin/sleep 2105\n" +
                "rlimit-nofile = 123:456\nrlimit-core = :1000000\nrlimit-data = 80000000:\nrlimit-addrspace = 900000000:-\n",
        });
        var pid = StartAndGetPid(manager, "svc");

        var limits = Limits(pid);
        var managers = Limits(manager.Pid);
        Assert.That(limits["Max open files"], Is.EqualTo(("123", "456")));
        Assert.That(managers["Max core file size"].Soft, Is.EqualTo("0"), "Start sets the manager's soft core limit");
        Assert.That(limits["Max core file size"], Is.EqualTo(("0", "1000000")));
        Assert.That(limits["Max data size"], Is.EqualTo(("80000000", managers["Max data size"].Hard)));
        Assert.That(limits["Max address space"], Is.EqualTo(("900000000", "unlimited")));
    }

    [TestCase("7", 7)]
    [TestCase("100", 19)]
    [TestCase("-5", -5)]
    public void NiceIsAppliedClampedToLinuxsRange(string setting, int expected)
    {
        using var manager = Start(new() { ["svc"] = $"type = process\ncommand = /bin/sleep 2106\nnice = {setting}\n" });
        var pid = StartAndGetPid(manager, "svc");

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.That(int.Parse(fields[16]), Is.EqualTo(expected)); // field 19 of stat; fields[0] is field 3
    }

    [TestCase("best-effort:5", "best-effort: prio 5")]
    [TestCase("idle", "idle")]
    [TestCase("realtime:2", "realtime: prio 2")]
    public void TheIoPriorityIsApplied(string setting, string ionice)
    {
        using var manager = Start(new() { ["svc"] = $"type = process\ncommand = /bin/sleep 2107\nioprio = {setting}\n" });
        var pid = StartAndGetPid(manager, "svc");

        Assert.That(CommandResult.Run("ionice", ["-p", pid.ToString()]).StdOut.Trim(), Is.EqualTo(ionice));
    }

    [Test]
    public void TheOomScoreAdjustmentIsApplied()
    {
        using var manager = Start(new() { ["svc"] = "type = process\ncommand = /bin/sleep 2108\noom-score-adj = 567\n" });
        var pid = StartAndGetPid(manager, "svc");

        Assert.That(File.ReadAllText($"/proc/{pid}/oom_score_adj").Trim(), Is.EqualTo("567"));
    }

    [Test]
    public void ScriptedStartAndStopCommandsGetTheSameSettings()
    {
        using var manager = Start(new()
        {
            ["job"] = "type = scripted\ncommand = REPORT start\nstop-command = REPORT stop\n" +
                "run-as = svcuser\nrlimit-nofile = 77\nnice = 3\nworking-dir = /\n",
        });
        var report = Path.Combine(manager.WorkDir, "report");
        var script = Path.Combine(manager.WorkDir, "report.sh");
        File.WriteAllText(script,
            "#!/bin/sh\necho \"$1 uid=$(id -u) gid=$(id -g) groups=$(id -G) nofile=$(ulimit -n) cwd=$(pwd) nice=$(cut -d' ' -f19 /proc/self/stat)\" >> " + report + "\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ed);
        File.WriteAllText(report, "");
        File.SetUnixFileMode(report, (UnixFileMode)0x1b6);
        var file = Path.Combine(manager.WorkDir, "services", "job");
        File.WriteAllText(file, File.ReadAllText(file).Replace("REPORT", script));

        Assert.That(manager.Ctl("start", "job").ExitCode, Is.EqualTo(0), manager.Output);
        Assert.That(manager.Ctl("stop", "job").ExitCode, Is.EqualTo(0), manager.Output);

        const string expected = "uid=4242 gid=4242 groups=4242 4300 4301 nofile=77 cwd=/ nice=3";
        Assert.That(File.ReadAllLines(report), Is.EqualTo(new[] { "start " + expected, "stop " + expected }));
    }

    [Test]
    public void ALimitTheKernelRefusesFailsTheStartAtSettingResourceLimits()
    {
        // Above fs.nr_open: not even root may raise the limit that far.
        using var manager = Start(new() { ["svc"] = "type = process\ncommand = /bin/sleep 2109\nrlimit-nofile = 2000000000\n" });

        var start = manager.Ctl("start", "svc");

        Assert.That(start, Is.EqualTo(new CommandResult(1,
            "Service 'svc' failed to start.\n" +
            "Reason: execution of service process failed:\n" +
            "        Stage: setting resource limits\n" +
            "        Error: Operation not permitted\n", "")));
        Assert.That(manager.Ctl("status", "svc").StdOut, Does.Contain("Stage: setting resource limits"));
        Assert.That(ProcessTable.Snapshot().Any(p => p.CommandLine == "/bin/sleep 2109"), Is.False, "the process never runs without its limit");
    }

    [Test]
    public void AnUnprivilegedManagerCannotRunAServiceAsAnotherUser()
    {
        using var manager = Start(new() { ["svc"] = $"type = process\ncommand = /bin/sleep 2110\nrun-as = {OtherUid}\n" }, managerUid: ServiceUid);

        var start = manager.Ctl("start", "svc");

        Assert.That(start.StdOut, Is.EqualTo(
            "Service 'svc' failed to start.\n" +
            "Reason: execution of service process failed:\n" +
            "        Stage: setting user/group ID\n" +
            "        Error: Operation not permitted\n"), start.ToString());
        Assert.That(ProcessTable.Snapshot().Any(p => p.CommandLine == "/bin/sleep 2110"), Is.False, "the process never runs as the manager's user");
    }

    /// <summary>
    /// tinyinitd (user mode) in a mount namespace with the test's user and group databases,
    /// as root or, with <paramref name="managerUid"/>, as that unprivileged user.
    /// </summary>
    private static StandaloneManager Start(Dictionary<string, string> services, int? managerUid = null)
    {
        Binaries.Require("tinyinitd", "tinyctl");
        if (System.Environment.UserName != "root") Assert.Ignore("needs root (mount namespace, run-as)");
        var work = Directory.CreateTempSubdirectory("tinyinitd-launch.").FullName;
        // The service user reaches its service directory (the default working directory) and the report file.
        File.SetUnixFileMode(work, (UnixFileMode)0x1ed);
        var etc = Directory.CreateDirectory(Path.Combine(work, "etc")).FullName;
        File.WriteAllText(Path.Combine(etc, "passwd"), Passwd);
        File.WriteAllText(Path.Combine(etc, "group"), Groups);
        var servicesDir = Directory.CreateDirectory(Path.Combine(work, "services")).FullName;
        File.WriteAllText(Path.Combine(servicesDir, "boot"), "type = internal\n");
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(servicesDir, name), text);
        var socket = Path.Combine(work, "ctl.socket");
        var drop = "";
        if (managerUid is { } uid)
        {
            CommandResult.Run("chown", [$"{uid}:{uid}", work]);
            drop = $"setpriv --reuid={uid} --regid={uid} --clear-groups --inh-caps=-all ";
        }
        // A known soft core limit (0) below an unlimited hard one, for the "keeps the current half" case.
        var script = $"mount --bind {etc}/passwd /etc/passwd && mount --bind {etc}/group /etc/group && " +
            "ulimit -H -c unlimited && ulimit -S -c 0 && " +
            $"exec {drop}{Binaries.Path_("tinyinitd")} -u -d {servicesDir} -p {socket}";
        return StandaloneManager.StartProgram("unshare", work, new Dictionary<string, string>(),
            "--mount", "--propagation", "private", "/bin/sh", "-c", script).WaitReady();
    }

    private static int StartAndGetPid(StandaloneManager manager, string service)
    {
        var start = manager.Ctl("start", service);
        Assert.That(start.ExitCode, Is.EqualTo(0), start + manager.Output);
        var match = Regex.Match(manager.Ctl("status", service).StdOut, @"Process ID: (\d+)");
        Assert.That(match.Success, manager.Ctl("status", service).ToString());
        return int.Parse(match.Groups[1].Value);
    }

    private static Dictionary<string, string> Status(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim());

    private static string[] Environment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, (string Soft, string Hard)> Limits(int pid) =>
        File.ReadAllLines($"/proc/{pid}/limits").Skip(1)
            .Select(l => (Name: l[..26].Trim(), Values: l[26..].Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .ToDictionary(l => l.Name, l => (l.Values[0], l.Values[1]));
}
