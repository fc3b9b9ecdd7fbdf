namespace Tinyinit.Engine.Tests;

public class BuildSmokeTests
{
    [Test]
    public void ProjectBuilds() => Assert.Pass();
}
