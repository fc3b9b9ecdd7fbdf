using System.Diagnostics;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Init;

/// <summary>
/// <c>tinyinit -u</c>: a user's supervisor, not PID 1, gives a user's manager what PID 1 gives
/// the system's: a manager killed with -9 comes back and answers again, processes it leaves are
/// re-parented to tinyinit (a child subreaper) and their exits forwarded, and the end stops
/// tinyinit's own descendants — and nothing else — before tinyinit exits.
/// </summary>
[TestFixture, NonParallelizable, CancelAfter(180_000)]
public class UserModeTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\ndepends-on: web\ndepends-on: stubborn\n",
        ["web"] = "type = process\ncommand = /bin/sleep 4001\n",
        // Ignores SIGTERM: whatever is left of it after a manager crash only a SIGKILL ends.
        ["stubborn"] = "type = process\nstop-timeout = 1\ncommand = /bin/sh -c \"trap '' TERM; exec /bin/sleep 4002\"\n",
    };

    private static ProcInfo? Named(UserSupervisor user, string commandLine, int except = 0) =>
        user.Processes().FirstOrDefault(p => p.CommandLine == commandLine && p.HostPid != except);

    private static bool Alive(int hostPid) => ProcessTable.Snapshot().Any(p => p.HostPid == hostPid);

    [Test]
    public void AManagerKilledWithSigkillComesBackAndWhatItLeftIsTinyinitsChild()
    {
        using var user = UserSupervisor.Start(Services);
        Assert.That(Poll.Until(() => Named(user, "/bin/sleep 4002") != null), user.Output);
        var manager = user.Processes().Single(p => p.Name == "tinyinitd");
        Assert.That(manager.HostParentPid, Is.EqualTo(user.Pid));
        var stubborn = Named(user, "/bin/sleep 4002")!.HostPid;

        CommandResult.Run("kill", ["-KILL", manager.HostPid.ToString()]);
        Assert.That(Poll.Until(() => user.Processes().Any(p => p.Name == "tinyinitd" && p.HostPid != manager.HostPid) && user.Ctl("list").ExitCode == 0),
            "a new manager answers on the control socket\n" + user.Output);
        // The service runs on under the new manager: a child of tinyinit now, not of the real init.
        Assert.That(Poll.Until(() => ProcessTable.Snapshot().FirstOrDefault(p => p.HostPid == stubborn)?.HostParentPid == user.Pid),
            $"pid {stubborn} re-parented to tinyinit ({user.Pid})\n{user.Output}");
        Assert.That(user.Ctl("status", "stubborn").StdOut, Does.Contain("STARTED"), "the new manager took it over\n" + user.Output);
        Assert.That(Named(user, "/bin/sleep 4002", except: stubborn), Is.Null, "nothing was started twice\n" + user.Output);

        // The new manager stops it itself (SIGKILL after its stop timeout), so nothing is left for tinyinit.
        var shutdown = user.Ctl("shutdown");
        Assert.That(user.WaitForExit(), Is.True, shutdown + user.Output);
        Assert.That(user.ExitCode, Is.EqualTo(0), "nothing was left to kill\n" + user.Output);
        Assert.That(Poll.Until(() => !Alive(stubborn)), "tinyinit stopped its own descendants\n" + user.Output);
        Assert.That(user.Output, Does.Contain("user mode: ending"));
    }

    [Test]
    public void SigtermToTinyinitStopsTheServicesThroughTheManagerAndTinyinitExitsCleanly()
    {
        var scratch = Directory.CreateTempSubdirectory("tinyinit-user-env.").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(scratch, (UnixFileMode)0x1ff);
        using var user = UserSupervisor.Start(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\ndepends-on: web\n",
            ["web"] = $"type = process\ncommand = /bin/sh -c \"env > {scratch}/env; exec /bin/sleep 4003\"\n",
        });
        Assert.That(Poll.Until(() => Named(user, "/bin/sleep 4003") != null), user.Output);
        var environment = File.ReadAllText(Path.Combine(scratch, "env"));
        Assert.That(environment, Does.Not.Contain("TINYINIT_USER_MODE=").And.Not.Contain("TINYINIT_LINK_FD="), "tinyinit's variables stay the manager's");
        Directory.Delete(scratch, recursive: true);
        var web = Named(user, "/bin/sleep 4003")!.HostPid;
        CommandResult.Run("kill", ["-TERM", user.Pid.ToString()]);
        Assert.That(user.WaitForExit(), Is.True, user.Output);
        Assert.That(user.ExitCode, Is.Zero, user.Output);
        Assert.That(user.Output, Does.Contain("[STOPPD] web"), "the manager stopped its services itself");
        Assert.That(Alive(web), Is.False);
    }

    [Test]
    public void OrphansAreForwardedAndAtTheEndOnlyTinyinitsOwnDescendantsAreStopped()
    {
        using var outsider = Process.Start("sleep", "1000");
        using var init = FakeManagedInit.Start(["-u"], asPid1: false);
        try
        {
            Assert.That(init.Log(), Does.Contain("args=-u"), "-u reaches the manager too");
            var orphan = init.Orphan("orphan 0.2 6");
            Assert.That(Poll.Until(() => init.Received($"recv kind=2 arg={orphan} status={6 << 8}")), init.Describe());
            var survivor = init.Orphan("orphan 1000 0");
            Assert.That(init.ProcessWithInnerPid(survivor)?.HostParentPid, Is.EqualTo(init.InitHostPid), "re-parented to tinyinit");

            init.Command("shutdown 2");
            Assert.That(init.WaitForExit(), Is.True, init.Describe());
            Assert.That(init.ExitCode, Is.Zero, init.Output);
            Assert.That(Poll.Until(() => !Alive(survivor)), "its descendant is stopped\n" + init.Output);
            Assert.That(outsider.HasExited, Is.False, "a process that is not its descendant is left alone");
        }
        finally
        {
            outsider.Kill();
        }
    }
}
