using System.Text.RegularExpressions;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// <c>kill -9</c> of the manager under tinyinit as PID 1 (issue 10, unplanned recovery): the
/// manager tinyinit starts next carries on from the crash record with the same processes —
/// nothing started again, nothing stopped, pins, environment and added dependencies kept,
/// a restart delay and a slow stop still running — and handles exits that happened meanwhile.
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

    /// <summary>Each service start appends its name to <see cref="Starts"/>: a start command that runs again shows.</summary>
    private Dictionary<string, string> ServiceSet()
    {
        string Script(string name, string body)
        {
            var path = Path.Combine(_marks, name + ".sh");
            File.WriteAllText(path, "echo " + name + " >> " + Starts + "\n" + body + "\n");
            return "/bin/sh " + path;
        }
        return new()
        {
            ["boot"] = "type = internal\ndepends-on: p1\ndepends-on: s1\ndepends-on: bg1\nwaits-for: i1\n",
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
    }

    private static readonly string[] Names = ["boot", "p1", "s1", "bg1", "i1", "p2", "trig", "hand", "pinS", "pinX", "rd", "ss"];

    [Test]
    public void AfterKill9TheNewManagerCarriesOnWithTheSameProcessesAndState()
    {
        using var init = NamespacedInit.Boot(ServiceSet());
        Assert.That(Poll.Until(() => Ctl(init, "is-started", "boot").ExitCode == 0), init.Output);
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

        var before = Observe(init);
        var manager = ManagerPid(init);
        Assert.That(Ctl(init, "status").StdOut, Does.Contain("Generation: 1"));

        CommandResult.Run("kill", ["-KILL", manager.ToString()]);
        Assert.That(Poll.Until(() => ManagerPid(init) is var pid && pid > 0 && pid != manager && Ctl(init, "list").ExitCode == 0), init.Output);

        var after = Observe(init);
        Assert.That(after.List, Is.EqualTo(before.List), init.Output);
        foreach (var name in Names) Assert.That(after.Status[name], Is.EqualTo(before.Status[name]), name + "\n" + init.Output);
        Assert.That(after.Processes, Is.EquivalentTo(before.Processes), "every service process kept its pid\n" + init.Output);
        Assert.That(File.ReadAllText(Starts), Is.EqualTo(before.Starts), "no start command ran again");
        Assert.That(Ctl(init, "getallenv").StdOut, Does.Contain("RECOVERY_MARK=kept"));
        Assert.That(Ctl(init, "status").StdOut, Does.Contain("Generation: 2"));
        Assert.That(Ctl(init, "--json", "status").StdOut, Does.Contain("\"generation\":2,\"started\":"));

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
        Names.ToDictionary(n => n, n => Ctl(init, "status", n).StdOut),
        init.Processes().Where(p => p.Name is not ("tinyinit" or "tinyinitd") && p.State != 'Z')
            .Select(p => $"{p.HostPid} {p.CommandLine}").ToList(),
        File.ReadAllText(Starts));

    private static CommandResult Ctl(NamespacedInit init, params string[] args) => init.Ctl(args);

    private static int ManagerPid(NamespacedInit init) =>
        init.Processes().FirstOrDefault(p => p.Name == "tinyinitd" && p.State != 'Z')?.HostPid ?? 0;

    private static int Pid(NamespacedInit init, string commandLine) =>
        init.Processes().FirstOrDefault(p => p.CommandLine == commandLine && p.State != 'Z')?.HostPid ?? 0;
}
