using System.Diagnostics;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Init;

/// <summary>
/// What PID 1 does for the system besides the manager: boot duties (API filesystems mounted
/// before the manager starts), the final shutdown's filesystems (hook, reverse unmount,
/// read-only root), never exiting (reboot(2) failing, kernel-boot arguments), and the watchdog
/// over a manager that leaves a shutdown signal unanswered. Filesystem tests run tinyinit with
/// <c>--root DIR</c> as PID 1 of a PID namespace inside a private mount namespace whose other
/// process reads the mount table after PID 1 called reboot(2).
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(180_000)]
public class Pid1DutiesTests
{
    private const int SIGHUP = 1, SIGINT = 2;

    private string _work = "";

    [SetUp]
    public void CreateWorkDir()
    {
        Binaries.Require("tinyinit");
        _work = Directory.CreateTempSubdirectory("tinyinit-pid1.").FullName;
    }

    [TearDown]
    public void RemoveWorkDir()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string Root => Path.Combine(_work, "root");

    /// <summary>
    /// In a private mount namespace: a tmpfs "root" with tmpfs mounts at data and data/inner,
    /// an optional shutdown hook, then tinyinit --root as PID 1 with a manager that records the
    /// mount table and asks for power-off (exit 243); then the mount table as it is afterwards.
    /// </summary>
    private CommandResult BootAndPowerOff(int? hookExit)
    {
        var manager = WriteScript("manager.sh", $"grep ' {Root}/' /proc/self/mountinfo > '{_work}/at-manager-start'\nexit 243\n");
        var hook = hookExit == null ? "" :
            $"printf '#!/bin/sh\\necho \"hook ran: $1\"\\nexit {hookExit}\\n' > \"$R/etc/tinyinit/shutdown-hook\"; chmod +x \"$R/etc/tinyinit/shutdown-hook\"\n";
        var script =
            $"R='{Root}'\n" +
            "mkdir -p \"$R\" && mount -t tmpfs rootfs \"$R\" && mkdir -p \"$R/data\" \"$R/etc/tinyinit\" && mount -t tmpfs data \"$R/data\" &&\n" +
            "mkdir \"$R/data/inner\" && mount -t tmpfs inner \"$R/data/inner\" || { echo SETUP-FAILED; exit 1; }\n" +
            hook +
            $"env --default-signal unshare --pid --fork '{Binaries.Path_("tinyinit")}' --root \"$R\" --manager '{manager}'\n" +
            "echo \"init-ended=$?\"\n" +
            "echo '--- mounts after'\n" +
            "grep \" $R\" /proc/self/mountinfo\n";
        var r = CommandResult.Run("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], TimeSpan.FromSeconds(120));
        if (r.StdOut.Contains("SETUP-FAILED") || r.StdErr.Contains("unshare failed")) Assert.Ignore("cannot make mount namespaces here: " + r);
        return r;
    }

    private static string[] MountsAfter(CommandResult r) =>
        r.StdOut[(r.StdOut.IndexOf("--- mounts after", StringComparison.Ordinal) + 16)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The mountinfo line whose mount point is exactly <paramref name="point"/>, or null.</summary>
    private static string? MountAt(IEnumerable<string> lines, string point) => lines.FirstOrDefault(l => l.Split(' ')[4] == point);

    [Test]
    public void BootDutiesMountTheApiFilesystemsBeforeTheManagerStarts()
    {
        var r = BootAndPowerOff(hookExit: null);
        var atStart = File.ReadAllLines(Path.Combine(_work, "at-manager-start"));
        Assert.That(MountAt(atStart, Root + "/proc"), Does.Contain(" - proc "), r.ToString());
        Assert.That(MountAt(atStart, Root + "/sys"), Does.Contain(" - sysfs "), r.ToString());
        Assert.That(MountAt(atStart, Root + "/dev"), Does.Contain(" - devtmpfs "), r.ToString());
        Assert.That(MountAt(atStart, Root + "/run"), Does.Contain(" - tmpfs ").And.Contain("mode=755"), r.ToString());
    }

    [Test]
    public void FinalShutdownUnmountsInReverseOrderAndRemountsTheRootReadOnly()
    {
        var r = BootAndPowerOff(hookExit: null);
        Assert.That(r.StdOut, Does.Contain($"init-ended={128 + SIGINT}"), r.ToString());
        var after = MountsAfter(r);
        Assert.That(MountAt(after, Root + "/data/inner"), Is.Null, r.ToString());
        Assert.That(MountAt(after, Root + "/data"), Is.Null, r.ToString());
        Assert.That(MountAt(after, Root)!.Split(' ')[5], Does.StartWith("ro"), r.ToString());
        Assert.That(r.StdErr, Does.Contain($"tinyinit: remounted read-only: {Root}\n"));
    }

    [Test]
    public void AFailingShutdownHookRunsWithTheTypeAndUnmountingStillHappens()
    {
        var r = BootAndPowerOff(hookExit: 1);
        Assert.That(r.StdOut, Does.Contain("hook ran: poweroff"), r.ToString());
        Assert.That(MountAt(MountsAfter(r), Root + "/data"), Is.Null, r.ToString());
    }

    [Test]
    public void AShutdownHookExitingZeroHandlesTheFilesystemsItself()
    {
        var r = BootAndPowerOff(hookExit: 0);
        Assert.That(r.StdOut, Does.Contain("hook ran: poweroff").And.Contain($"init-ended={128 + SIGINT}"), r.ToString());
        var after = MountsAfter(r);
        Assert.That(MountAt(after, Root + "/data"), Is.Not.Null, r.ToString());
        Assert.That(MountAt(after, Root)!.Split(' ')[5], Does.StartWith("rw"), r.ToString());
    }

    [Test]
    public void WhenReboot2FailsPid1StaysAliveInAHaltLoop()
    {
        // Without CAP_SYS_BOOT reboot(2) fails with EPERM even in a PID namespace.
        var manager = WriteScript("manager.sh", "exit 242\n");
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--bounding-set", "-sys_boot", "env", "--default-signal", "unshare", "--pid", "--fork", "--mount-proc",
                     Binaries.Path_("tinyinit"), "--manager", manager })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = new StringWriter();
        process.ErrorDataReceived += (_, e) => { lock (output) output.WriteLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (output) output.WriteLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        string Output() { lock (output) return output.ToString(); }
        try
        {
            Assert.That(Poll.Until(() => Output().Contains("system halted") || process.HasExited), Output());
            if (process.HasExited && Output().Contains("setpriv")) Assert.Ignore("setpriv cannot drop CAP_SYS_BOOT here: " + Output());
            Assert.That(Output(), Does.Contain("tinyinit: reboot(2) failed (errno 1)"));
            Thread.Sleep(1500);
            Assert.That(process.HasExited, Is.False, "PID 1 exited after reboot(2) failed\n" + Output());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
    }

    [Test]
    public void AManagerThatIgnoresAShutdownSignalIsOverruledAfterTheTimeout()
    {
        using var init = FakeManagedInit.Start(managerArgs: ["--shutdown-timeout", "2"]);
        CommandResult.Run("kill", ["-TERM", init.InitHostPid.ToString()]);
        Assert.That(Poll.Until(() => init.Received("recv kind=3 arg=15 status=0")), init.Describe());
        Assert.That(init.WaitForExit(), Is.True, "PID 1 waited forever on a deaf manager\n" + init.Describe());
        Assert.That(init.ExitCode, Is.EqualTo(128 + SIGINT), init.Output);
        Assert.That(init.Output, Does.Contain("did not act on the shutdown signal in time").And.Contain("shutting down: halt"));
    }

    [Test]
    public void ASignalThatIsNotAShutdownStartsNoWatchdog()
    {
        using var init = FakeManagedInit.Start(managerArgs: ["--shutdown-timeout", "1"]);
        CommandResult.Run("kill", ["-USR1", init.InitHostPid.ToString()]);
        Assert.That(Poll.Until(() => init.Received("recv kind=3 arg=10 status=0")), init.Describe());
        Thread.Sleep(3000);
        Assert.That(init.HasExited, Is.False, init.Describe());
    }

    [Test]
    public void TheThirdCtrlAltDelRebootsWithoutTheManager()
    {
        using var init = FakeManagedInit.Start();
        for (var i = 1; i <= 2; i++)
        {
            CommandResult.Run("kill", ["-INT", init.InitHostPid.ToString()]);
            var count = i;
            Assert.That(Poll.Until(() => init.Log().Split('\n').Count(l => l == "recv kind=3 arg=2 status=0") == count), init.Describe());
        }
        Assert.That(init.HasExited, Is.False, "two presses must leave the decision to the manager\n" + init.Describe());
        CommandResult.Run("kill", ["-INT", init.InitHostPid.ToString()]);
        Assert.That(init.WaitForExit(), Is.True, init.Describe());
        Assert.That(init.ExitCode, Is.EqualTo(128 + SIGHUP), init.Output);
        Assert.That(init.Output, Does.Contain("ctrl-alt-del pressed 3 times").And.Contain("shutting down: reboot"));
    }

    [Test]
    public void BootedByTheKernelHelpAndUsageErrorsAreIgnoredAndTheManagerStarts()
    {
        // Without /proc tinyinit takes itself for kernel-booted (see KernelBoot).
        using var init = FakeManagedInit.Start(managerArgs: ["--help", "single", "--version", "--manager"], hideProc: true);
        Assert.That(init.Log(), Does.Contain("kernel=1 args=single\n"), init.Describe());
        Assert.That(init.Output, Does.Contain("ignoring --help (booted by the kernel)")
            .And.Contain("ignoring --version (booted by the kernel)").And.Contain("ignoring --manager without a path"));
    }

    [Test]
    public void BootedByTheKernelWithNoManagerAnEmergencyShellIsStartedAndRestarted()
    {
        var marker = Path.Combine(_work, "shell-runs");
        var shell = WriteScript("shell.sh", $"echo run >> '{marker}'\nsleep 0.5\n");
        using var init = FakeManagedInit.StartBare(["--manager", Path.Combine(_work, "no-such-manager")],
            new Dictionary<string, string> { ["TINYINIT_EMERGENCY_SHELL"] = shell }, hideProc: true);
        Assert.That(Poll.Until(() => File.Exists(marker) && File.ReadAllLines(marker).Length >= 2 || init.HasExited), init.Output);
        Assert.That(init.HasExited, Is.False, "a kernel-booted PID 1 without a manager must not exit\n" + init.Output);
        Assert.That(init.Output, Does.Contain("starting an emergency shell on the console: " + shell));
        Assert.That(init.Processes().Where(p => p.State == 'Z'), Is.Empty, "the shell is reaped each time");
    }

    [Test]
    public void BootedByTheKernelAStartUpThatThrowsEndsInTheHaltLoopWithAShellNotInAnExit()
    {
        var marker = Path.Combine(_work, "shell-runs");
        var shell = WriteScript("shell.sh", $"echo run >> '{marker}'\nsleep 0.5\n");
        using var init = FakeManagedInit.StartBare([],
            new Dictionary<string, string> { ["TINYINIT_FAULT"] = "startup", ["TINYINIT_EMERGENCY_SHELL"] = shell }, hideProc: true);
        Assert.That(Poll.Until(() => File.Exists(marker) && File.ReadAllLines(marker).Length >= 2 || init.HasExited), init.Output);
        Assert.That(init.HasExited, Is.False, "a kernel-booted PID 1 whose start-up broke must not exit\n" + init.Output);
        Assert.That(init.Output, Does.Contain("tinyinit: internal error while starting"));
        Assert.That(init.Output, Does.Contain("system halted"));
    }

    [Test]
    public void NotBootedByTheKernelAStartUpThatThrowsIsASystemFailure()
    {
        using var init = FakeManagedInit.StartBare([], new Dictionary<string, string> { ["TINYINIT_FAULT"] = "startup" });
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(init.ExitCode, Is.EqualTo(111), init.Output);
        Assert.That(init.Output, Does.Contain("tinyinit: internal error while starting"));
    }

    [Test]
    public void AStuckConsoleNeverBlocksPid1()
    {
        // Each malformed message makes PID 1 log a line (57 bytes): 2000 of them overfill the
        // 64 KiB pipe nobody reads. Blocking writes would stop PID 1 there for good.
        using var init = FakeManagedInit.Start(stuckStderr: true);
        for (var i = 0; i < 2000; i++) init.Command("raw 09");
        var orphan = init.Orphan("orphan 0.1 5");
        Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={5 << 8}")), init.Describe());
    }

    [Test]
    public void NotBootedByTheKernelABadShutdownTimeoutIsAUsageError()
    {
        var r = CommandResult.Run(Binaries.Path_("tinyinit"), ["--shutdown-timeout", "soon"], TimeSpan.FromSeconds(20));
        Assert.That(r.ExitCode, Is.EqualTo(100), r.ToString());
        Assert.That(r.StdErr, Does.Contain("--shutdown-timeout: 'soon' is not a number of seconds"));
    }

    private string WriteScript(string name, string body)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
