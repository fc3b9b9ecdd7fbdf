using Tinyinit.Integration.Tests.Harness;
using Tinyinit.Native;

namespace Tinyinit.Integration.Tests.Launch;

/// <summary>
/// capabilities, securebits and options = no-new-privs (service-files.md §6.27, §7) as the
/// started process has them (/proc/PID/status), applied after the change to the run-as user;
/// a capability that cannot be applied fails the start at "setting capabilities".
/// </summary>
[TestFixture, NonParallelizable]
public class PrivilegeLaunchTests
{
    private const ulong NetBindService = 1UL << 10, NetAdmin = 1UL << 12, NetRaw = 1UL << 13, SysAdmin = 1UL << 21;

    [OneTimeSetUp]
    public void RequireRoot()
    {
        if (Libc.geteuid() != 0) Assert.Ignore("needs root: only root can give a service capabilities or another user");
    }

    [Test]
    public void TheProcessHasTheInheritableAmbientAndBoundingSetsAskedFor()
    {
        using var manager = StandaloneManager.Start(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["web"] = "type = process\ncommand = /bin/sleep 1041\n" +
                      "capabilities = ^cap_net_bind_service,cap_net_admin\ncapabilities += !cap_sys_admin\noptions: no-new-privs\n",
            ["plain"] = "type = process\ncommand = /bin/sleep 1042\n",
        }).WaitReady();

        var start = manager.Ctl("start", "web");
        Assert.That(start.ExitCode, Is.EqualTo(0), start + manager.Output);
        var web = ProcStatus.ChildRunning(manager.Pid, "sleep 1041");
        Assert.That(ProcStatus.Mask(web, "CapInh"), Is.EqualTo(NetBindService | NetAdmin));
        Assert.That(ProcStatus.Mask(web, "CapAmb"), Is.EqualTo(NetBindService));
        Assert.That(ProcStatus.Mask(web, "CapBnd") & SysAdmin, Is.Zero, "!cap_sys_admin leaves the bounding set");
        Assert.That(ProcStatus.Mask(web, "CapBnd") & NetAdmin, Is.Not.Zero);
        Assert.That(ProcStatus.Field(web, "NoNewPrivs"), Is.EqualTo("1"));

        Assert.That(manager.Ctl("start", "plain").ExitCode, Is.EqualTo(0));
        var plain = ProcStatus.ChildRunning(manager.Pid, "sleep 1042");
        Assert.That(ProcStatus.Mask(plain, "CapInh") | ProcStatus.Mask(plain, "CapAmb"), Is.Zero);
        Assert.That(ProcStatus.Mask(plain, "CapBnd"), Is.EqualTo(ProcStatus.Mask(manager.Pid, "CapBnd")));
        Assert.That(ProcStatus.Field(plain, "NoNewPrivs"), Is.EqualTo("0"));
    }

    [Test]
    public void AmbientCapabilitiesSurviveTheChangeToTheRunAsUser()
    {
        using var manager = StandaloneManager.Start(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["web"] = "type = process\ncommand = /bin/sleep 1046\nrun-as = nobody\ncapabilities = ^cap_net_bind_service\n",
            ["bare"] = "type = process\ncommand = /bin/sleep 1047\nrun-as = nobody\n",
        }).WaitReady();

        var start = manager.Ctl("start", "web");
        Assert.That(start.ExitCode, Is.EqualTo(0), start + manager.Output);
        var web = ProcStatus.ChildRunning(manager.Pid, "sleep 1046");
        Assert.That(ProcStatus.Field(web, "Uid"), Does.StartWith("65534\t"));
        Assert.That(ProcStatus.Mask(web, "CapAmb"), Is.EqualTo(NetBindService));
        Assert.That(ProcStatus.Mask(web, "CapPrm"), Is.EqualTo(NetBindService), "the ambient capability is the unprivileged program's permitted set");
        Assert.That(ProcStatus.Mask(web, "CapEff"), Is.EqualTo(NetBindService));

        Assert.That(manager.Ctl("start", "bare").ExitCode, Is.EqualTo(0), manager.Output);
        var bare = ProcStatus.ChildRunning(manager.Pid, "sleep 1047");
        Assert.That(ProcStatus.Mask(bare, "CapPrm") | ProcStatus.Mask(bare, "CapAmb"), Is.Zero, "without the setting, nobody has no capabilities");
    }

    [Test]
    public void NorootSecurebitsLeaveRootWithOnlyItsAmbientCapabilities()
    {
        using var manager = StandaloneManager.Start(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["raw"] = "type = process\ncommand = /bin/sleep 1044\ncapabilities = ^cap_net_raw\nsecurebits = noroot\nsecurebits += noroot-locked\n",
        }).WaitReady();

        var start = manager.Ctl("start", "raw");
        Assert.That(start.ExitCode, Is.EqualTo(0), start + manager.Output);
        var raw = ProcStatus.ChildRunning(manager.Pid, "sleep 1044");
        Assert.That(ProcStatus.Field(raw, "Uid"), Does.StartWith("0\t"));
        Assert.That(ProcStatus.Mask(raw, "CapPrm"), Is.EqualTo(NetRaw), "with noroot, uid 0 gains nothing at exec");
        Assert.That(ProcStatus.Mask(raw, "CapEff"), Is.EqualTo(NetRaw));
    }

    [Test]
    public void AScriptedServiceAndItsStopCommandGetTheirCapabilitiesToo()
    {
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinit-caps.").FullName;
        try
        {
            var started = Path.Combine(work, "started");
            var stopped = Path.Combine(work, "stopped");
            using var manager = StandaloneManager.Start(new Dictionary<string, string>
            {
                ["boot"] = "type = internal\n",
                ["job"] = "type = scripted\ncapabilities = ^cap_kill\n" +
                          $"command = /bin/sh -c \"grep CapAmb /proc/self/status > {started}\"\n" +
                          $"stop-command = /bin/sh -c \"grep CapAmb /proc/self/status > {stopped}\"\n",
            }).WaitReady();

            Assert.That(manager.Ctl("start", "job").ExitCode, Is.EqualTo(0), manager.Output);
            Assert.That(manager.Ctl("stop", "job").ExitCode, Is.EqualTo(0), manager.Output);

            Assert.That(File.ReadAllText(started), Is.EqualTo("CapAmb:\t0000000000000020\n"));
            Assert.That(File.ReadAllText(stopped), Is.EqualTo("CapAmb:\t0000000000000020\n"));
        }
        finally
        {
            System.IO.Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void ACapabilityTheKernelRefusesFailsTheStartAndNothingRuns()
    {
        using var manager = StandaloneManager.Start(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["odd"] = "type = process\ncommand = /bin/sleep 1045\ncapabilities = ^63\n",
        }).WaitReady();

        var start = manager.Ctl("start", "odd");

        Assert.That(start.ExitCode, Is.EqualTo(1), start.ToString());
        Assert.That(start.StdOut, Is.EqualTo(
            "Service 'odd' failed to start.\n" +
            "Reason: execution of service process failed:\n" +
            "        Stage: setting capabilities\n" +
            "        Error: Invalid argument\n"));
        Assert.That(ProcessTable.Snapshot().Where(p => p.CommandLine.Contains("sleep 1045")), Is.Empty);
    }
}
