namespace Tinyinit.Integration.Tests.Harness;

/// <summary>
/// The binaries `make check` also publishes for the other architecture ($TINYINIT_CROSS_BIN_DIR,
/// arch $TINYINIT_CROSS_ARCH), run under qemu-user. Each binary gets a wrapper script that execs
/// qemu, so programs that start one another (tinyinit → tinyinitd) work without binfmt_misc,
/// which a container cannot register.
/// </summary>
public sealed class CrossBinaries : IDisposable
{
    private CrossBinaries(string wrapperDir) => WrapperDir = wrapperDir;

    public string WrapperDir { get; }

    /// <summary>Wrapper path for a published binary (tinyinit, tinyinitd, tinyctl).</summary>
    public string Path_(string name) => Path.Combine(WrapperDir, name);

    /// <summary>Wrappers for the cross binaries; skips the test when they were not built.</summary>
    public static CrossBinaries Require()
    {
        var dir = Environment.GetEnvironmentVariable("TINYINIT_CROSS_BIN_DIR");
        var arch = Environment.GetEnvironmentVariable("TINYINIT_CROSS_ARCH");
        if (string.IsNullOrEmpty(dir) || string.IsNullOrEmpty(arch) || !File.Exists(Path.Combine(dir, "tinyinit")))
            Assert.Ignore("cross-architecture binaries not built (`make check` builds them)");
        var (qemu, triplet) = arch == "arm64" ? ("qemu-aarch64-static", "aarch64-linux-gnu") : ("qemu-x86_64-static", "x86_64-linux-gnu");
        var wrappers = System.IO.Directory.CreateTempSubdirectory("tinyinit-cross.").FullName;
        foreach (var name in new[] { "tinyinit", "tinyinitd", "tinyctl" })
        {
            var path = Path.Combine(wrappers, name);
            File.WriteAllText(path, $"#!/bin/sh\nexec {qemu} -L /usr/{triplet} {Path.Combine(dir!, name)} \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new CrossBinaries(wrappers);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(WrapperDir, recursive: true); } catch (IOException) { }
    }
}
