namespace Tinyinit.Protocol.Tests;

public class BuildSmokeTests
{
    [Test]
    public void ProjectBuilds() => Assert.Pass();
}
