using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary><c>make install DESTDIR=… PREFIX=…</c>: the layout an administrator (or a package) gets.</summary>
[TestFixture, NonParallelizable]
public class InstallTests
{
    private static string Repository()
    {
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo != null && !File.Exists(Path.Combine(repo.FullName, "Makefile"))) repo = repo.Parent;
        if (repo == null) Assert.Ignore("not run from a checkout");
        return repo!.FullName;
    }

    private static CommandResult Make(string root, string target) =>
        CommandResult.Run("make", ["-s", "-C", Repository(), target, $"DESTDIR={root}", "PREFIX=/usr", $"OUT={Binaries.Directory}"]);

    private static readonly string[] ShutdownNames = ["shutdown", "halt", "poweroff", "reboot", "soft-reboot"];
    private static readonly string[] DinitCtlNames = ["dinitctl", "dinit-check", "dinit-monitor"];

    [Test]
    public void InstallPutsOnlyTinyinitsOwnNamesInSbinAndBinAndTheManPages()
    {
        Binaries.Require("tinyinit", "tinyinitd", "tinyctl");
        var root = System.IO.Directory.CreateTempSubdirectory("tinyinit-install.").FullName;
        try
        {
            var make = Make(root, "install-files");
            Assert.That(make.ExitCode, Is.EqualTo(0), make.ToString());

            foreach (var binary in new[] { "usr/sbin/tinyinit", "usr/sbin/tinyinitd", "usr/bin/tinyctl" })
                Assert.That(File.Exists(Path.Combine(root, binary)), binary);
            foreach (var page in new[] { "man8/tinyinit.8", "man8/tinyinitd.8", "man8/tinyctl.8", "man5/tinyinit.d.5" })
                Assert.That(File.Exists(Path.Combine(root, "usr/share/man", page)), page);
            // A host's own init commands and a Dinit installation are never shadowed by default.
            foreach (var name in ShutdownNames.Append("dinit"))
                Assert.That(Path.Exists(Path.Combine(root, "usr/sbin", name)), Is.False, name);
            foreach (var name in DinitCtlNames)
                Assert.That(Path.Exists(Path.Combine(root, "usr/bin", name)), Is.False, name);
        }
        finally
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void TheOptInTargetsAddTheCompatibilityNamesAsSymlinks()
    {
        Binaries.Require("tinyinit", "tinyinitd", "tinyctl");
        var root = System.IO.Directory.CreateTempSubdirectory("tinyinit-install.").FullName;
        try
        {
            foreach (var target in new[] { "install-files", "install-dinit-names", "install-shutdown-names" })
            {
                var make = Make(root, target);
                Assert.That(make.ExitCode, Is.EqualTo(0), target + "\n" + make);
            }

            Assert.That(new FileInfo(Path.Combine(root, "usr/sbin/dinit")).LinkTarget, Is.EqualTo("tinyinitd"));
            foreach (var name in DinitCtlNames)
                Assert.That(new FileInfo(Path.Combine(root, "usr/bin", name)).LinkTarget, Is.EqualTo("tinyctl"), name);
            foreach (var name in ShutdownNames)
                Assert.That(new FileInfo(Path.Combine(root, "usr/sbin", name)).LinkTarget, Is.EqualTo("../bin/tinyctl"), name);

            // The compatibility names behave as the programs they stand for.
            var dinit = CommandResult.Run(Path.Combine(root, "usr/sbin/dinit"), ["--help"]);
            Assert.That(dinit.StdOut, Does.StartWith("dinit: init/service manager daemon\n"));
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
