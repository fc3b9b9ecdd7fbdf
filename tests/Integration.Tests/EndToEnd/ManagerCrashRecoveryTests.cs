using System.Text.RegularExpressions;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// <c>kill -9</c> of the manager under tinyinit as PID 1 (issue 10, unplanned recovery): the
/// manager tinyinit starts next carries on from the crash record with the same processes —
/// nothing started again, nothing stopped, pins, environment and added dependencies kept,
/// a restart delay and a slow stop still running — and handles exits that happened meanwhile;
/// then the same 200 services across <c>restart-manager</c> and <c>restart-manager --exec</c>.
/// </summary>
[TestFixture, NonParallelizable]
public class ManagerCrashRecoveryTests
{
    private string _marks = "";

    [SetUp]
    public void CreateMarkerDirectory() => _marks = System.IO.Directory.CreateTempSubdirectory("tinyinit-marks.").FullName;

    [TearDown]
    public void RemoveMarkerDirectory()
    {
        try { System.IO.Directory.Delete(_marks, recursive: true); } catch (IOException) { }
    }

    private string Starts => Path.Combine(_marks, "starts");

    /// <summary>Services beside the twelve of every kind that make the acceptance set 200 strong.</summary>
    private const int Fillers = 188;

    /// <summary>Each service start appends its name to <see cref="Starts"/>: a start command that runs again shows.</summary>
    /// <param name="fillers">Extra services (every other one a process, the rest internal) that "fill" brings up with boot.</param>
    private Dictionary<string, string> ServiceSet(int fillers = 0)
    {
        string Script(string name, string body)
        {
            var path = Path.Combine(_marks, name + ".sh");
            File.WriteAllText(path, "echo " + name + " >> " + Starts + "\n" + body + "\n");
            return "/bin/sh " + path;
        }
        var set = new Dictionary<string, string>
        {
            ["boot"] = "type = internal\ndepends-on: p1\ndepends-on: s1\ndepends-on: bg1\nwaits-for: i1\n" + (fillers > 0 ? "waits-for: fill\n" : ""),
            ["p1"] = $"type = process\nrestart = yes\ncommand = {Script("p1", "exec /bin/sleep 3001")}\n",
            ["s1"] = $"type = scripted\ncommand = {Script("s1", "true")}\nstop-command = /bin/true\n",
            ["bg1"] = $"type = bgprocess\ncommand = {Script("bg1", $"/bin/sleep 3002 &\necho $! > {_marks}/bg1.pid")}\npid-file = {_marks}/bg1.pid\n",
            ["i1"] = "type = internal\ndepends-on: p2\n",
            ["p2"] = $"type = process\ncommand = {Script("p2", "exec /bin/sleep 3003")}\n",
            ["trig"] = "type = triggered\n",
            ["hand"] = $"type = process\ncommand = {Script("hand", "exec /bin/sleep 3004")}\n",
            ["pinS"] = $"type = process\ncommand = {Script("pinS", "exec /bin/sleep 3005")}\n",
            ["pinX"] = $"type = process\ncommand = {Script("pinX", "exec /bin/sleep 3006")}\n",
            ["rd"] = $"type = process\nrestart = yes\nrestart-delay = 600\nrestart-limit-count = 0\ncommand = {Script("rd", "exit 1")}\n",
            ["ss"] = $"type = process\nstop-timeout = 600\ncommand = {Script("ss", "trap '' TERM\nexec /bin/sleep 3007")}\n",
        };
        if (fillers == 0) return set;
        set["fill"] = "type = internal\n" + string.Concat(FillerNames(fillers - 1).Select(n => $"depends-on: {n}\n"));
        foreach (var (name, i) in FillerNames(fillers - 1).Select((n, i) => (n, i)))
            set[name] = i % 2 == 0 ? $"type = process\ncommand = {Script(name, $"exec /bin/sleep {5000 + i}")}\n" : "type = internal\n";
        return set;
    }

    private static IEnumerable<string> FillerNames(int count) => Enumerable.Range(0, count).Select(i => $"f{i}");

    private static readonly string[] Names = ["boot", "p1", "s1", "bg1", "i1", "p2", "trig", "hand", "pinS", "pinX", "rd", "ss"];
    private static readonly string[] AllNames = [.. Names, "fill", .. FillerNames(Fillers - 1)];

    [Test]
    public void After_kill9_and_both_hand_overs_200_services_run_on_with_the_same_processes_and_state()
    {
        using var init = NamespacedInit.Boot(ServiceSet(Fillers));
        Assert.That(Poll.Until(() => Ctl(init, "is-started", "boot").ExitCode == 0 && Ctl(init, "is-started", "fill").ExitCode == 0), init.Output);
        Ctl(init, "start", "--no-wait", "trig");
        Ctl(init, "trigger", "trig");
        Ctl(init, "start", "hand");
        Ctl(init, "start", "--pin", "pinS");
        Ctl(init, "stop", "--pin", "pinX");
        Ctl(init, "setenv", "RECOVERY_MARK=kept");
        Ctl(init, "add-dep", "waits-for", "boot", "hand");
        Ctl(init, "start", "--no-wait", "rd");
        Ctl(init, "start", "ss");
        Ctl(init, "stop", "--no-wait", "ss");
        Assert.That(Poll.Until(() => Ctl(init, "status", "rd").StdOut.Contains("STARTING")
                                     && Ctl(init, "status", "ss").StdOut.Contains("STOPPING")),
            Ctl(init, "status", "rd").StdOut + Ctl(init, "status", "ss").StdOut + init.Output);
        Assert.That(Ctl(init, "is-started", "trig").ExitCode, Is.EqualTo(0), init.Output);
        Assert.That(Ctl(init, "list").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(200), "every service loaded");

        var before = Observe(init);
        var manager = ManagerPid(init);
        Assert.That(Ctl(init, "status").StdOut, Does.Contain("Generation: 1"));

        CommandResult.Run("kill", ["-KILL", manager.ToString()]);
        Assert.That(Poll.Until(() => ManagerPid(init) is var pid && pid > 0 && pid != manager && Ctl(init, "list").ExitCode == 0), init.Output);

        var after = Observe(init);
        Assert.That(after.List, Is.EqualTo(before.List), init.Output);
        foreach (var name in AllNames) Assert.That(after.Status[name], Is.EqualTo(before.Status[name]), name + "\n" + init.Output);
        Assert.That(after.Processes, Is.EquivalentTo(before.Processes), "every service process kept its pid\n" + init.Output);
        Assert.That(File.ReadAllText(Starts), Is.EqualTo(before.Starts), "no start command ran again");
        Assert.That(Ctl(init, "getallenv").StdOut, Does.Contain("RECOVERY_MARK=kept"));
        Assert.That(Ctl(init, "status").StdOut, Does.Contain("Generation: 2"));
        Assert.That(Ctl(init, "--json", "status").StdOut, Does.Contain("\"generation\":2,\"started\":"));

        // The same 200 services across both planned hand-overs: in place, and to another binary.
        var copy = Path.Combine(_marks, "other", "tinyinitd");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Binaries.Path_("tinyinitd"), copy); // keeps the mode on Linux
        var generation = 2;
        foreach (var handOver in new[] { new[] { "restart-manager" }, ["restart-manager", "--exec", copy] })
        {
            var managerBefore = ManagerPid(init);
            Assert.That(Ctl(init, handOver).ExitCode, Is.EqualTo(0), init.Output);
            generation++;
            Assert.That(Poll.Until(() => Ctl(init, "status").StdOut.Contains($"Generation: {generation}")), string.Join(' ', handOver) + "\n" + init.Output);
            var handedOver = Observe(init);
            Assert.That(ManagerPid(init), Is.EqualTo(managerBefore), "a hand-over keeps the manager's pid");
            Assert.That(handedOver.List, Is.EqualTo(before.List), init.Output);
            foreach (var name in AllNames) Assert.That(handedOver.Status[name], Is.EqualTo(before.Status[name]), name + "\n" + init.Output);
            Assert.That(handedOver.Processes, Is.EquivalentTo(before.Processes), "every service process kept its pid\n" + init.Output);
            Assert.That(File.ReadAllText(Starts), Is.EqualTo(before.Starts), "no start command ran again");
        }

        // The recovered manager supervises: a stop is carried out, a restart follows its policy.
        Assert.That(Ctl(init, "stop", "hand").ExitCode, Is.EqualTo(0), init.Output);
        Assert.That(Pid(init, "/bin/sleep 3004"), Is.EqualTo(0));
        var p1 = Pid(init, "/bin/sleep 3001");
        CommandResult.Run("kill", ["-KILL", p1.ToString()]);
        Assert.That(Poll.Until(() => Pid(init, "/bin/sleep 3001") is var pid && pid > 0 && pid != p1), init.Output);
    }

    [Test]
    public void AnExitWhileNoManagerRunsIsHandledByTheNextOne()
    {
        using var init = NamespacedInit.Boot(ServiceSet());
        Assert.That(Poll.Until(() => Ctl(init, "is-started", "boot").ExitCode == 0), init.Output);
        var p1 = Pid(init, "/bin/sleep 3001");
        var p2 = Pid(init, "/bin/sleep 3003");

        // The manager dies first, so both exits go to PID 1 and wait in its queue for the next one.
        CommandResult.Run("kill", ["-KILL", ManagerPid(init).ToString()]);
        CommandResult.Run("kill", ["-KILL", p1.ToString(), p2.ToString()]);

        // p1 (restart = yes) is restarted; p2's exit stops i1, and boot (which p1's exit stopped
        // and restarted) starts i1 and p2 again: both exits were seen, each start ran once more.
        Assert.That(Poll.Until(() => Pid(init, "/bin/sleep 3001") is var pid && pid > 0 && pid != p1
                                     && Pid(init, "/bin/sleep 3003") is var pid2 && pid2 > 0 && pid2 != p2
                                     && Ctl(init, "is-started", "boot").ExitCode == 0 && Ctl(init, "is-started", "i1").ExitCode == 0), init.Output);
        Assert.That(init.Output, Does.Contain("Service p1 terminated due to signal 9").And.Contain("Service p2 terminated due to signal 9"));
        Assert.That(Regex.Matches(File.ReadAllText(Starts), "^p1$", RegexOptions.Multiline), Has.Count.EqualTo(2));
        Assert.That(Regex.Matches(File.ReadAllText(Starts), "^p2$", RegexOptions.Multiline), Has.Count.EqualTo(2));
        Assert.That(Ctl(init, "status").StdOut, Does.Contain("Generation: 2"));
    }

    private sealed record Observation(string List, Dictionary<string, string> Status, List<string> Processes, string Starts);

    private Observation Observe(NamespacedInit init) => new(
        Ctl(init, "list").StdOut,
        AllNames.ToDictionary(n => n, n => Ctl(init, "status", n).StdOut),
        init.Processes().Where(p => p.Name is not ("tinyinit" or "tinyinitd") && p.State != 'Z')
            .Select(p => $"{p.HostPid} {p.CommandLine}").ToList(),
        File.ReadAllText(Starts));

    private static CommandResult Ctl(NamespacedInit init, params string[] args) => init.Ctl(args);

    private static int ManagerPid(NamespacedInit init) =>
        init.Processes().FirstOrDefault(p => p.Name == "tinyinitd" && p.State != 'Z')?.HostPid ?? 0;

    private static int Pid(NamespacedInit init, string commandLine) =>
        init.Processes().FirstOrDefault(p => p.CommandLine == commandLine && p.State != 'Z')?.HostPid ?? 0;
}
