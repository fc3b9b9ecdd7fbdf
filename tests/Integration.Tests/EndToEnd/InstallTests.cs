using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary><c>make install DESTDIR=… PREFIX=…</c>: the layout an administrator (or a package) gets.</summary>
[TestFixture, NonParallelizable]
public class InstallTests
{
    [Test]
    public void InstallPutsBinariesInSbinAndBinWithCompatibilityNamesAsSymlinks()
    {
        Binaries.Require("tinyinit", "tinyinitd", "tinyctl");
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo != null && !File.Exists(Path.Combine(repo.FullName, "Makefile"))) repo = repo.Parent;
        if (repo == null) Assert.Ignore("not run from a checkout");
        var root = System.IO.Directory.CreateTempSubdirectory("tinyinit-install.").FullName;
        try
        {
            var make = CommandResult.Run("make", ["-s", "-C", repo!.FullName, "install-files", $"DESTDIR={root}", "PREFIX=/usr", $"OUT={Binaries.Directory}"]);
            Assert.That(make.ExitCode, Is.EqualTo(0), make.ToString());

            foreach (var binary in new[] { "usr/sbin/tinyinit", "usr/sbin/tinyinitd", "usr/bin/tinyctl" })
                Assert.That(File.Exists(Path.Combine(root, binary)), binary);
            foreach (var name in new[] { "dinitctl", "dinit-check", "dinit-monitor" })
                Assert.That(new FileInfo(Path.Combine(root, "usr/bin", name)).LinkTarget, Is.EqualTo("tinyctl"), name);
            foreach (var name in new[] { "shutdown", "halt", "poweroff", "reboot", "soft-reboot" })
                Assert.That(new FileInfo(Path.Combine(root, "usr/sbin", name)).LinkTarget, Is.EqualTo("../bin/tinyctl"), name);
            foreach (var page in new[] { "tinyinit.8", "tinyinitd.8", "tinyctl.8" })
                Assert.That(File.Exists(Path.Combine(root, "usr/share/man/man8", page)), page);

            // The compatibility names behave as the programs they stand for.
            var dinitctl = CommandResult.Run(Path.Combine(root, "usr/bin/dinitctl"), ["--help"]);
            Assert.That(dinitctl.StdOut, Does.StartWith("dinitctl:"));
            var reboot = CommandResult.Run(Path.Combine(root, "usr/sbin/reboot"), ["--help"]);
            Assert.That(reboot.StdOut, Does.StartWith("reboot :"));
        }
        finally
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
    }
}
