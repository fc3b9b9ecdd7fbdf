using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Init;

/// <summary>tinyinit's own options, run outside any namespace (none of them starts a manager).</summary>
[TestFixture, CancelAfter(60_000)]
public class CommandLineTests
{
    private static CommandResult Tinyinit(params string[] args)
    {
        Binaries.Require("tinyinit");
        return CommandResult.Run(Binaries.Path_("tinyinit"), args, TimeSpan.FromSeconds(20));
    }

    [Test]
    public void HelpDescribesTheOptionsAndExitsZero()
    {
        var r = Tinyinit("--help");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.StdOut, Does.StartWith("Usage: tinyinit").And.Contain("--manager PATH"));
    }

    [Test]
    public void VersionPrintsTheVersion()
    {
        var r = Tinyinit("--version");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.StdOut, Does.StartWith("tinyinit "));
    }

    [TestCase("--manager")]
    [TestCase("--manager=")]
    public void AManagerOptionWithoutAPathIsAUsageError(string arg)
    {
        var r = Tinyinit("-d", "x", arg);
        Assert.That(r.ExitCode, Is.EqualTo(100), r.ToString());
        Assert.That(r.StdErr, Does.Contain("--manager needs a path"));
    }
}
