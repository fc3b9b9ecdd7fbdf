namespace Tinyinit.Loader.Tests;

/// <summary>Environment-file syntax (service-files.md §9) and the reload/unload rules (semantics.md §18).</summary>
public class EnvironmentAndReloadTests
{
    private static readonly Dictionary<string, string> Parent = new() { ["PATH"] = "/bin", ["HOME"] = "/root", ["TERM"] = "vt100" };

    [Test]
    public void AssignmentsAreVerbatimAndLaterOnesWin()
    {
        var r = EnvironmentFile.Parse("A=1\n  B = two \nA=3\nC=\"q\"\n# comment\n\n", Parent);
        Assert.That(r.Set, Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "3", ["B"] = " two ", ["C"] = "\"q\"" }));
        Assert.That(r.Diagnostics, Is.Empty);
        Assert.That(r.ApplyTo(Parent)["PATH"], Is.EqualTo("/bin"));
    }

    [Test]
    public void InvalidLinesAndUnknownCommandsAreDiagnosedWithTheirLineNumbers()
    {
        var r = EnvironmentFile.Parse("=x\nNOEQUALS\nA=1\n!frob\n", Parent);
        Assert.That(r.Diagnostics.Select(d => d.DaemonMessage), Is.EqualTo(new[]
        {
            "Invalid environment variable setting in environment file (line 1)",
            "Invalid environment variable setting in environment file (line 2)",
            "Unknown command in environment file (line 4)",
        }));
        Assert.That(r.Set["A"], Is.EqualTo("1"));
    }

    [Test]
    public void ClearUnsetImport()
    {
        var r = EnvironmentFile.Parse("A=1\n!clear\nB=2\n!import PATH NOPE\n", Parent);
        Assert.That(r.Cleared, Is.True);
        Assert.That(r.ApplyTo(Parent), Is.EquivalentTo(new Dictionary<string, string> { ["B"] = "2", ["PATH"] = "/bin" }));

        var u = EnvironmentFile.Parse("!unset HOME TERM\nTERM=xterm\n", Parent);
        Assert.That(u.ApplyTo(Parent), Is.EquivalentTo(new Dictionary<string, string> { ["PATH"] = "/bin", ["TERM"] = "xterm" }));

        var i = EnvironmentFile.Parse("!unset HOME\n!import HOME\n", Parent);
        Assert.That(i.ApplyTo(Parent)["HOME"], Is.EqualTo("/root"));
    }

    private static ServiceDescription Desc(ServiceType type = ServiceType.Process, params DependencySpec[] deps) =>
        new() { Name = "s", Type = type, Dependencies = deps };

    [Test]
    public void StoppedServiceMayChangeAnything() =>
        Assert.That(ReloadRules.Check(Desc(), Desc(ServiceType.Scripted), ReloadState.Stopped, _ => false), Is.Null);

    [TestCase(ReloadState.Starting)]
    [TestCase(ReloadState.Stopping)]
    public void StartingOrStoppingServiceIsRefused(ReloadState state) =>
        Assert.That(ReloadRules.Check(Desc(), Desc(), state, _ => true),
            Is.EqualTo("cannot alter settings for service which is currently starting/stopping."));

    [Test]
    public void StartedServiceRules()
    {
        Assert.That(ReloadRules.Check(Desc(), Desc(ServiceType.Scripted), ReloadState.Started, _ => true),
            Is.EqualTo("cannot change type of non-stopped service."));
        var withDep = Desc(ServiceType.Process, new DependencySpec("x", DependencyType.Regular));
        Assert.That(ReloadRules.Check(Desc(), withDep, ReloadState.Started, _ => false), Is.EqualTo("cannot add non-started dependency 'x'."));
        Assert.That(ReloadRules.Check(Desc(), withDep, ReloadState.Started, _ => true), Is.Null);
        var soft = Desc(ServiceType.Process, new DependencySpec("x", DependencyType.WaitsFor));
        Assert.That(ReloadRules.Check(Desc(), soft, ReloadState.Started, _ => false), Is.Null);
        var logChange = Desc();
        logChange.LogType = LogType.Buffer;
        Assert.That(ReloadRules.Check(Desc(), logChange, ReloadState.Started, _ => true), Is.Not.Null);
        var other = Desc();
        other.StopTimeout = TimeSpan.FromSeconds(1);
        Assert.That(ReloadRules.Check(Desc(), other, ReloadState.Started, _ => true), Is.Null);
    }

    [Test]
    public void ProducerWithAConsumerMustKeepPiping()
    {
        Assert.That(ReloadRules.CheckProducer(Desc(), hasConsumer: true), Is.Not.Null);
        var pipe = Desc();
        pipe.LogType = LogType.Pipe;
        Assert.That(ReloadRules.CheckProducer(pipe, hasConsumer: true), Is.Null);
        Assert.That(ReloadRules.CheckProducer(Desc(), hasConsumer: false), Is.Null);
    }

    [Test]
    public void Unload()
    {
        Assert.That(ReloadRules.CanUnload(ReloadState.Stopped, 1, [DependencyType.After, DependencyType.Before]), Is.True);
        Assert.That(ReloadRules.CanUnload(ReloadState.Started, 1, []), Is.False);
        Assert.That(ReloadRules.CanUnload(ReloadState.Stopped, 2, []), Is.False);
        Assert.That(ReloadRules.CanUnload(ReloadState.Stopped, 1, [DependencyType.WaitsFor]), Is.False);
    }

    [Test]
    public void FifoInPlaceOfADescriptionDoesNotStallTheLoader()
    {
        using var dir = new ServiceDir();
        var fifo = dir.File("f");
        Assert.That(System.Diagnostics.Process.Start("mkfifo", fifo)!.WaitForExit(10_000), Is.True);
        var refused = new ServiceLoader(new LoaderOptions
        {
            ServiceDirectories = [dir.Path], Users = FakeUsers.Instance, IsSpecialFile = p => p == fifo,
        }).Load("f", _ => false);
        Assert.That(refused.Error!.Kind, Is.EqualTo(LoadErrorKind.LoadFailed));
        Assert.That(dir.Load("f").Error, Is.Null, "without a guard the FIFO is opened non-blocking and reads as empty");
    }
}
