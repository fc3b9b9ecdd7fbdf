namespace Tinyinit.Loader.Tests;

public class BuildSmokeTests
{
    [Test]
    public void ProjectBuilds() => Assert.Pass();
}
