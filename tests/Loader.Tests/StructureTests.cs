namespace Tinyinit.Loader.Tests;

/// <summary>Search path, includes, .d directories, dependency loading, cycles (service-files.md §2, §3.5, §6.12–6.14).</summary>
public class StructureTests
{
    private ServiceDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new ServiceDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    [Test]
    public void NotFound()
    {
        var e = _dir.Load("nothere").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.NotFound));
        Assert.That(e.LogLines.Single(), Is.EqualTo("Could not load service nothere: service description not found."));
        Assert.That(e.StartupLogLines.Single(), Is.EqualTo("nothere: could not find service description."));
    }

    [Test]
    public void DirectoriesAreSearchedInOrder()
    {
        using var second = new ServiceDir();
        second.Write("a", "type = triggered\n").Write("b", "type = triggered\n");
        _dir.Write("a", "");
        var loader = new ServiceLoader(new LoaderOptions { ServiceDirectories = [_dir.Path, second.Path], Users = FakeUsers.Instance });
        Assert.That(loader.Load("a", _ => false).Services.Single().Type, Is.EqualTo(ServiceType.Internal));
        var b = loader.Load("b", _ => false).Services.Single();
        Assert.That((b.Type, b.ServiceDirectory), Is.EqualTo((ServiceType.Triggered, second.Path)));
    }

    [Test]
    public void DirectoryInPlaceOfAFileIsAReadError()
    {
        Directory.CreateDirectory(_dir.File("d"));
        var e = _dir.Load("d").Error!;
        Assert.That(e.LogLines.Single(), Is.EqualTo($"Could not load service d: {_dir.File("d")}: Is a directory"));
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.LoadFailed));
    }

    [Test]
    public void SymlinkLoopIsBounded()
    {
        File.CreateSymbolicLink(_dir.File("x"), _dir.File("x"));
        var e = _dir.Load("x").Error!;
        Assert.That(e.Message, Is.EqualTo($"{_dir.File("x")}: Too many levels of symbolic links"));
    }

    [TestCase("")]
    [TestCase(".hidden")]
    [TestCase("@arg")]
    public void InvalidRequestedName(string name) =>
        Assert.That(_dir.Load(name).Error!.Kind, Is.EqualTo(LoadErrorKind.InvalidName));

    [Test]
    public void TooLongName() =>
        Assert.That(_dir.Load(new string('a', 65536)).Error!.Message, Is.EqualTo("service name is too long"));

    [Test]
    public void AlreadyLoadedServicesAreNotReread()
    {
        _dir.Write("a", "depends-on: b\n").Write("b", "depends-on: c\n");
        var outcome = _dir.Loader().Load("a", n => n == "b");
        Assert.That(outcome.Services.Select(s => s.Name), Is.EqualTo(new[] { "a" }));
        Assert.That(_dir.Loader().Load("a", n => n == "a").Services, Is.Empty);
    }

    [Test]
    public void ServicesComeInTheOrderTheirLoadsBegan()
    {
        _dir.Write("top", "depends-on: a\nwaits-for: b\n").Write("a", "depends-ms: c\n").Write("b", "depends-on: c\n").Write("c", "");
        Assert.That(_dir.Load("top").Services.Select(s => s.Name), Is.EqualTo(new[] { "top", "a", "c", "b" }));
    }

    [Test]
    public void MissingDependencyFailsEveryDependent()
    {
        _dir.Write("a", "depends-on: b\n").Write("b", "waits-for: c\n");
        var e = _dir.Load("a").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.DependencyFailed));
        Assert.That(e.Message, Is.EqualTo("could not load dependency."));
        Assert.That(e.Cause!.Kind, Is.EqualTo(LoadErrorKind.NotFound));
        Assert.That(e.LogLines, Is.EqualTo(new[]
        {
            "Could not load service c: service description not found.",
            "Could not load service b: could not load dependency.",
            "Could not load service a: could not load dependency.",
        }));
        Assert.That(e.StartupLogLines[^1], Is.EqualTo("a: error loading: could not load dependency."));
    }

    [Test]
    public void DescriptionErrorInADependencyIsALoadErrorOfTheDependent()
    {
        _dir.Write("a", "depends-on: b\n").Write("b", "type = bogus\n");
        var e = _dir.Load("a").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.DependencyFailed));
        Assert.That(e.LogLines[0], Does.StartWith("Error in service description for 'b': setting 'type'"));
    }

    [Test]
    public void DependenciesBeforeAnErrorAreLoadedFirst()
    {
        _dir.Write("a", "depends-on: b\nfrob = 1\n").Write("b", "type = bogus\n");
        var e = _dir.Load("a").Error!;
        Assert.That(e.LogLines[0], Does.Contain("'b'"), "the dependency's error is reported first, as the reference does");
    }

    [Test]
    public void SelfDependencyIsACycle()
    {
        _dir.Write("x", "depends-on: x\n");
        var e = _dir.Load("x").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.Cycle));
        Assert.That(e.LogLines, Is.EqualTo(new[] { "Could not load service x: has cyclic dependency.", "Could not load service x: could not load dependency." }));
    }

    [TestCase("depends-on")]
    [TestCase("depends-ms")]
    [TestCase("waits-for")]
    [TestCase("prepared-by")]
    public void LongerCycle(string setting)
    {
        _dir.Write("a", $"{setting}: b\n").Write("b", $"{setting}: c\n").Write("c", $"{setting}: a\n");
        var e = _dir.Load("a").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.Cycle));
        Assert.That(e.LogLines, Is.EqualTo(new[]
        {
            "Could not load service a: has cyclic dependency.",
            "Could not load service c: could not load dependency.",
            "Could not load service b: could not load dependency.",
            "Could not load service a: could not load dependency.",
        }));
    }

    [Test]
    public void AfterSelfIsACycle()
    {
        _dir.Write("x", "after: x\n");
        var e = _dir.Load("x").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.Cycle));
        Assert.That(e.LogLines.Single(), Is.EqualTo("Could not load service x: has cyclic dependency."));
    }

    [Test]
    public void BeforeCombinedWithDependencyIsACycle()
    {
        // a needs b (b starts first), but b says it comes after... via before: a says "before: b".
        _dir.Write("a", "depends-on: b\nbefore: b\n").Write("b", "");
        Assert.That(_dir.Load("a").Error!.Kind, Is.EqualTo(LoadErrorKind.Cycle));
        _dir.Write("c", "depends-on: d\n").Write("d", "after: c\n");
        var e = _dir.Load("c").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.Cycle));
    }

    [Test]
    public void ConsistentOrderingIsNotACycle()
    {
        _dir.Write("a", "depends-on: b\nafter: b\n").Write("b", "before: a\n");
        Assert.That(_dir.Load("a").Error, Is.Null);
    }

    [Test]
    public void CycleThroughAnAlreadyLoadedServiceIsFoundOnReload()
    {
        _dir.Write("a", "").Write("b", "depends-on: a\n");
        var first = _dir.Load("b");
        var loaded = first.Services.ToDictionary(s => s.Name);
        _dir.Write("a", "depends-on: b\n");
        var loader = _dir.Loader(findLoaded: n => loaded.GetValueOrDefault(n));
        var e = loader.Reload("a", loaded.ContainsKey).Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.Cycle));
    }

    [Test]
    public void ReloadRereadsTheFile()
    {
        _dir.Write("a", "type = process\ncommand = /bin/one\n");
        var loader = _dir.Loader();
        Assert.That(loader.Load("a", _ => false).Services[0].Command[0], Is.EqualTo("/bin/one"));
        _dir.Write("a", "type = process\ncommand = /bin/two\ndepends-on: n\n").Write("n", "");
        var reloaded = loader.Reload("a", n => n == "a");
        Assert.That(reloaded.Services.Select(s => s.Name), Is.EqualTo(new[] { "a", "n" }));
        Assert.That(reloaded.Services[0].Command[0], Is.EqualTo("/bin/two"));
    }

    /// <summary>
    /// A depends-on chain 100,000 services deep, from 1,000 templated files: c0@r → … → c999@r →
    /// c0@rr → … (c999's optional include continues the chain while a cont-r… file exists), so the
    /// test writes 1,100 files, not 100,000.
    /// </summary>
    [Test]
    public void DeepChainLoadsWithoutRecursion()
    {
        const int width = 1_000, rounds = 100;
        for (var i = 0; i + 1 < width; i++) _dir.Write($"c{i}", $"depends-on: c{i + 1}@$1\n");
        _dir.Write($"c{width - 1}", "@include-opt cont-$1\n");
        for (var k = 1; k < rounds; k++) _dir.Write("cont-" + new string('r', k), "depends-on: c0@$1r\n");
        var outcome = _dir.Load("c0@r");
        Assert.That(outcome.Error, Is.Null);
        Assert.That(outcome.Services, Has.Count.EqualTo(width * rounds));
        Assert.That(outcome.Services[0].Name, Is.EqualTo("c0@r"));
        Assert.That(outcome.Services[0].Dependencies.Single().Name, Is.EqualTo("c1@r"));
        Assert.That(outcome.Services[^1].Name, Is.EqualTo($"c{width - 1}@" + new string('r', rounds)));
    }

    /// <summary>A 5,000-long cycle (100 templated files, 50 rounds, the last round leads back to the start).</summary>
    [Test]
    public void DeepCycleIsFound()
    {
        const int width = 100, rounds = 50;
        for (var i = 0; i + 1 < width; i++) _dir.Write($"c{i}", $"depends-on: c{i + 1}@$1\n");
        _dir.Write($"c{width - 1}", "@include cont-$1\n");
        for (var k = 1; k < rounds; k++) _dir.Write("cont-" + new string('r', k), "depends-on: c0@$1r\n");
        _dir.Write("cont-" + new string('r', rounds), "depends-on: c0@r\n");
        var e = _dir.Load("c0@r").Error!;
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.Cycle));
        Assert.That(e.LogLines, Has.Count.EqualTo(width * rounds + 1));
        Assert.That(e.LogLines[0], Is.EqualTo("Could not load service c0: has cyclic dependency."));
    }

    [Test]
    public void Include()
    {
        _dir.Write("inc/common", "restart = false\n@include more\n");
        _dir.Write("inc/more", "stop-timeout = 3\n");
        _dir.Write("s", "type = process\n@include inc/common\ncommand = /bin/true\n");
        var d = _dir.Get("s");
        Assert.That((d.Restart, d.StopTimeout, d.Command[0]), Is.EqualTo((RestartMode.No, TimeSpan.FromSeconds(3), "/bin/true")));
    }

    [Test]
    public void IncludeQuotedPathAndSubstitution()
    {
        _dir.Write("incdir/a", "restart = false\n");
        _dir.Write("s", "@include \"incdir/${WHICH}\"\n");
        Assert.That(_dir.Get("s", new Dictionary<string, string> { ["WHICH"] = "a" }).Restart, Is.EqualTo(RestartMode.No));
    }

    [Test]
    public void IncludeErrors()
    {
        Assert.That(_dir.Error("@include a b\n").Message, Is.EqualTo("'@include' requires a single argument"));
        Assert.That(_dir.Error("@include\n").Message, Is.EqualTo("'@include' requires a single argument"));
        var open = _dir.Error("\n@include nothere\n");
        Assert.That(open.LogLines.Single(), Is.EqualTo("Could not load service s: nothere: cannot open: No such file or directory"));
        Assert.That(open.Kind, Is.EqualTo(LoadErrorKind.LoadFailed));
        _dir.Write("opt", "@include-opt nothere\n");
        Assert.That(_dir.Load("opt").Error, Is.Null);
        Directory.CreateDirectory(_dir.File("adir"));
        Assert.That(_dir.Error("@include-opt adir\n").LogLines.Single(), Is.EqualTo($"Could not load service s: {_dir.File("adir")}: Is a directory"));
    }

    [Test]
    public void ErrorInAnIncludedFileNamesThatFile()
    {
        _dir.Write("inc", "\nbogus = 1\n");
        var e = _dir.Error("@include inc\n");
        Assert.That(e.LogLines.Single(), Is.EqualTo($"Error in service description for 's' (file {_dir.File("inc")}, line 2): unknown setting: 'bogus'."));
    }

    [Test]
    public void ContinuationDoesNotCrossAnIncludeBoundary()
    {
        _dir.Write("inc", "command = /bin/a \\");
        var e = _dir.Error("type = process\n@include inc\n  --x\n");
        Assert.That(e.LogLines.Single(), Does.Contain($"(file {_dir.File("inc")}, line 1): end-of-file follows backslash"));
    }

    [Test]
    public void IncludeLoopIsBounded()
    {
        _dir.Write("loop", "@include loop\n");
        var e = _dir.Error("@include loop\n");
        Assert.That(e.Message, Does.Contain("nesting is too deep"));
    }

    [Test]
    public void IncludeRelativeToTheRealDirectoryOfASymlinkedFile()
    {
        using var real = new ServiceDir();
        real.Write("s", "@include part\nenv-file = env\n").Write("part", "restart = no\n").Write("env", "X=1\n");
        File.CreateSymbolicLink(_dir.File("s"), real.File("s"));
        var d = _dir.Get("s");
        Assert.That((d.Restart, d.Environment["X"]), Is.EqualTo((RestartMode.No, "1")));
        Assert.That(d.ServiceDirectory, Is.EqualTo(_dir.Path), "the working directory default is the search directory");
    }

    [Test]
    public void DotDDirectoriesAddDependencies()
    {
        _dir.Write("boot.d/a", "").Write("boot.d/.hidden", "");
        _dir.Write("a", "").Write("b", "");
        File.CreateSymbolicLink(_dir.File("boot.d/b"), "../b");
        _dir.Write("boot", "type = internal\nwaits-for.d: boot.d\n");
        var outcome = _dir.Load("boot");
        Assert.That(outcome.Error, Is.Null);
        var deps = outcome.Services.Single(s => s.Name == "boot").Dependencies;
        Assert.That(deps.Select(d => d.Name).Order(), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(deps, Is.All.Matches<DependencySpec>(d => d.Type == DependencyType.WaitsFor && d.FromDirectory));
    }

    [TestCase("depends-on.d", DependencyType.Regular)]
    [TestCase("depends-ms.d", DependencyType.Milestone)]
    [TestCase("waits-for.d", DependencyType.WaitsFor)]
    public void DotDTypes(string setting, DependencyType type)
    {
        _dir.Write("d/x", "").Write("x", "").Write("s", $"{setting}: d\n");
        Assert.That(_dir.Get("s").Dependencies.Single(), Is.EqualTo(new DependencySpec("x", type, true)));
    }

    [Test]
    public void DotDIsLenient()
    {
        _dir.Write("d/ghost", "").Write("s", "waits-for.d: d\ndepends-on.d: nodir\n");
        var outcome = _dir.Load("s");
        Assert.That(outcome.Error, Is.Null);
        Assert.That(outcome.Warnings, Is.EqualTo(new[]
        {
            $"Could not open dependency directory '{Path.Combine(_dir.Path, "nodir")}' for s service.",
            "Ignoring unresolved dependency 'ghost' in dependency directory 'd' for s service.",
        }));
    }

    [Test]
    public void DotDEntryWithAnErrorStillFails()
    {
        _dir.Write("d/bad", "").Write("bad", "type = nonsense\n").Write("s", "waits-for.d: d\n");
        Assert.That(_dir.Load("s").Error!.Kind, Is.EqualTo(LoadErrorKind.DependencyFailed));
    }

    [Test]
    public void DefaultDirectories()
    {
        string? Env(Dictionary<string, string> e, string n) => e.GetValueOrDefault(n);
        Assert.That(LoaderOptions.DefaultDirectories(false, _ => null),
            Is.EqualTo(new[] { "/etc/tinyinit.d", "/run/tinyinit.d", "/usr/local/lib/tinyinit.d", "/lib/tinyinit.d" }));
        var user = new[] { "/etc/tinyinit.d/user", "/usr/lib/tinyinit.d/user", "/usr/local/lib/tinyinit.d/user" };
        var xdg = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "/x/cfg/", ["HOME"] = "/home/u" };
        Assert.That(LoaderOptions.DefaultDirectories(true, n => Env(xdg, n), FakeUsers.Instance),
            Is.EqualTo(new[] { "/x/cfg/tinyinit.d", "/home/u/.config/tinyinit.d" }.Concat(user)));
        var same = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "/home/u/.config", ["HOME"] = "/home/u" };
        Assert.That(LoaderOptions.DefaultDirectories(true, n => Env(same, n), FakeUsers.Instance),
            Is.EqualTo(new[] { "/home/u/.config/tinyinit.d" }.Concat(user)));
        var empty = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "", ["HOME"] = "/h" };
        Assert.That(LoaderOptions.DefaultDirectories(true, n => Env(empty, n), FakeUsers.Instance),
            Is.EqualTo(new[] { "/h/.config/tinyinit.d" }.Concat(user)));
        // No HOME: the password database's home of the real uid (root in the fake database).
        Assert.That(LoaderOptions.DefaultDirectories(true, _ => null, FakeUsers.Instance)[0], Is.EqualTo("/root/.config/tinyinit.d"));
    }

    [Test]
    public void TheDropInPersonalityUsesTheReferencesDirectories()
    {
        Assert.That(LoaderOptions.DefaultDirectories(false, _ => null, Personality.Dinit),
            Is.EqualTo(new[] { "/etc/dinit.d", "/run/dinit.d", "/usr/local/lib/dinit.d", "/lib/dinit.d" }));
        var xdg = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "/x/cfg", ["HOME"] = "/home/u" };
        Assert.That(LoaderOptions.DefaultDirectories(true, xdg.GetValueOrDefault, FakeUsers.Instance, Personality.Dinit),
            Is.EqualTo(new[] { "/x/cfg/dinit.d", "/home/u/.config/dinit.d", "/etc/dinit.d/user", "/usr/lib/dinit.d/user", "/usr/local/lib/dinit.d/user" }));
        Assert.That(Personality.Dinit.UserSocket(xdg.GetValueOrDefault), Is.EqualTo("/home/u/.dinitctl"));
        Assert.That(Personality.Dinit.UserSocket(new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = "/run/user/7" }.GetValueOrDefault),
            Is.EqualTo("/run/user/7/dinitctl"));
        Assert.That((Personality.Dinit.SystemSocket, Personality.Dinit.SystemEnvironmentFile), Is.EqualTo(("/run/dinitctl", "/etc/dinit/environment")));
        Assert.That(new[] { "dinit", "dinitctl", "dinit-check", "dinit-monitor", "tinyctl", "tinyinitd", "shutdown" }.Select(n => Personality.ForProgram(n).IsReference),
            Is.EqualTo(new[] { true, true, true, true, false, false, false }));
    }

    [Test]
    public void StartupLinesForADescriptionErrorAreUnchanged()
    {
        var e = _dir.Error("type = bogus\n");
        Assert.That(e.StartupLogLines, Is.EqualTo(e.LogLines));
        _dir.Write("p", "type = process\n");
        Assert.That(_dir.Load("p").Error!.StartupLogLines.Single(), Is.EqualTo("p: error loading: 'command' setting not specified."));
    }

    [Test]
    public void OtherOpenErrorsAreRememberedWhileSearching()
    {
        using var second = new ServiceDir();
        second.Write("x", "");
        Directory.CreateDirectory(_dir.File("sub"));
        File.WriteAllText(_dir.File("notadir"), "");
        // "<first dir>/notadir/x" fails with ENOTDIR; the search goes on and finds the file.
        var loader = new ServiceLoader(new LoaderOptions { ServiceDirectories = [_dir.File("notadir"), second.Path], Users = FakeUsers.Instance });
        Assert.That(loader.Load("x", _ => false).Error, Is.Null);
        var missing = loader.Load("y", _ => false).Error!;
        Assert.That(missing.Message, Is.EqualTo($"{_dir.File("notadir")}/y: Not a directory"));
    }
}
