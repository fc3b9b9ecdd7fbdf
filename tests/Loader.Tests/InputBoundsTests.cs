namespace Tinyinit.Loader.Tests;

/// <summary>What enters the manager as a name or an environment line is checked where it enters.</summary>
public class InputBoundsTests
{
    [TestCase("web", true)]
    [TestCase("getty@tty1", true)]
    [TestCase("mount@/dev/sda1", true)] // the argument is not a file name
    [TestCase("../../etc/passwd", false)]
    [TestCase("a/b", false)]
    [TestCase("/abs", false)]
    [TestCase("a\0b", false)]
    [TestCase(".hidden", false)]
    [TestCase("@x", false)]
    [TestCase("", false)]
    public void AServiceNamesBaseHasNoSlash(string name, bool valid) =>
        Assert.That(ServiceName.IsValid(name), Is.EqualTo(valid));

    [Test]
    public void CrLfLineEndsAreNotPartOfValues()
    {
        var r = EnvironmentFile.Parse("A=1\r\nB=two words\r\n!unset C\r\n", new Dictionary<string, string> { ["C"] = "x" });
        Assert.That(r.Set, Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "1", ["B"] = "two words" }));
        Assert.That(r.Unset, Does.Contain("C"));
        Assert.That(r.Diagnostics, Is.Empty);
    }

    [Test]
    public void AnInvalidVariableNameIsDiagnosedWithFileAndLine()
    {
        var r = EnvironmentFile.Parse("OK=1\nBAD\u0001NAME=2\n", new Dictionary<string, string>());
        Assert.That(r.Set.Keys, Is.EquivalentTo(new[] { "OK" }));
        Assert.That(r.Diagnostics.Select(d => d.MessageFor("/etc/tinyinit/environment")),
            Is.EqualTo(new[] { "Invalid environment variable setting in environment file /etc/tinyinit/environment (line 2)" }));
    }

    [Test]
    public void AServiceEnvFileLineThatIsIgnoredIsReportedWithFileAndLine()
    {
        using var dir = new ServiceDir();
        dir.Write("env", "OK=1\nA B=2\n!frob\n").Write("web", "type = process\ncommand = /bin/true\nenv-file = env\n");
        var outcome = dir.Load("web");
        Assert.That(outcome.Error, Is.Null);
        Assert.That(outcome.Services.Single().Environment, Does.ContainKey("OK").And.Not.ContainKey("A"));
        Assert.That(outcome.Warnings, Is.EqualTo(new[]
        {
            $"Service 'web': Invalid environment variable setting in environment file {dir.File("env")} (line 2) (ignored)",
            $"Service 'web': Unknown command in environment file {dir.File("env")} (line 3) (ignored)",
        }));
    }

    [TestCase("PATH", true)]
    [TestCase("my.var-1", true)]
    [TestCase("A B", false)]
    [TestCase("A=B", false)]
    [TestCase("A\rB", false)]
    [TestCase("", false)]
    public void EnvironmentNames(string name, bool valid) =>
        Assert.That(EnvironmentName.IsValid(name), Is.EqualTo(valid));
}
