namespace Tinyinit.Integration.Tests;

public class BuildSmokeTests
{
    [Test]
    public void ProjectBuilds() => Assert.Pass();
}
