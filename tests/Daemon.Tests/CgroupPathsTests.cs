using Tinyinit.Daemon.Os;

namespace Tinyinit.Daemon.Tests;

public class CgroupPathsTests
{
    [TestCase("/system/web", "/sys/fs/cgroup/system/web")]
    [TestCase("web", "/sys/fs/cgroup/services/web")]
    [TestCase("a/b", "/sys/fs/cgroup/services/a/b")]
    public void AbsoluteUnderTheMountRelativeUnderTheBase(string setting, string directory) =>
        Assert.That(new CgroupPaths("/services").Directory(setting), Is.EqualTo(directory));

    [Test]
    public void TheOptionWinsOverTheOwnCgroup() =>
        Assert.That(CgroupPaths.ForManager("/opt-base", managerOfPid1: false, () => "0::/user.slice/mine\n").Directory("x"),
            Is.EqualTo("/sys/fs/cgroup/opt-base/x"));

    [Test]
    public void AnOptionWithoutLeadingSlashIsACgroupPathToo() =>
        Assert.That(CgroupPaths.ForManager("opt-base/", managerOfPid1: false, () => null).Base, Is.EqualTo("/opt-base"));

    [Test]
    public void TheManagerOfPid1UsesTheRoot() =>
        Assert.That(CgroupPaths.ForManager(null, managerOfPid1: true, () => "0::/init.scope\n").Directory("x"), Is.EqualTo("/sys/fs/cgroup/x"));

    [Test]
    public void OtherwiseItsOwnCgroupFromASingleV2Line() =>
        Assert.That(CgroupPaths.ForManager(null, managerOfPid1: false, () => "0::/user.slice/mine\n").Directory("x"),
            Is.EqualTo("/sys/fs/cgroup/user.slice/mine/x"));

    [TestCase("1:cpu:/\n0::/a\n")]      // a hybrid hierarchy: several lines
    [TestCase("3:memory:/a\n")]          // cgroup v1 only
    [TestCase(null)]                     // unreadable
    public void ElseTheRoot(string? procSelfCgroup) =>
        Assert.That(CgroupPaths.ForManager(null, managerOfPid1: false, () => procSelfCgroup).Directory("x"), Is.EqualTo("/sys/fs/cgroup/x"));
}
