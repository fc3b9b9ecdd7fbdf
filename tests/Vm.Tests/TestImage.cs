namespace Tinyinit.Vm.Tests;

/// <summary>
/// Builds the test root disk once per run (scripts/vm/build-image.sh --test: examples/linux plus
/// the guest test hook) and fetches the kernel; each boot then works on its own copy.
/// </summary>
[SetUpFixture]
public sealed class TestImage
{
    public static string Path_ { get; private set; } = "";
    public static string Kernel { get; private set; } = "";

    [OneTimeSetUp]
    public void Build()
    {
        foreach (var name in new[] { "tinyinit", "tinyinitd", "tinyctl" })
            if (!File.Exists(Path.Combine(Repository.BinDir, name)))
                Assert.Ignore($"{Path.Combine(Repository.BinDir, name)} not built (run `make`)");
        Directory.CreateDirectory(Repository.WorkDir);
        var kernel = Shell.Run(Repository.Script("fetch-kernel.sh"), Repository.WorkDir);
        Assert.That(kernel.ExitCode, Is.Zero, kernel.Output);
        Kernel = kernel.Output.Trim().Split('\n')[^1];
        var image = Path.Combine(Repository.WorkDir, "test-root.img");
        var build = Shell.Run(Repository.Script("build-image.sh"), Repository.BinDir, image, "--test");
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Path_ = image;
    }
}
