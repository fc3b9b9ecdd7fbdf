namespace Tinyinit.Loader.Tests;

/// <summary>A throw-away service directory for one test.</summary>
public sealed class ServiceDir : IDisposable
{
    public ServiceDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tinyinit-loader-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public ServiceDir Write(string name, string text)
    {
        var full = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
        return this;
    }

    public ServiceLoader Loader(IReadOnlyDictionary<string, string>? env = null, Func<string, ServiceDescription?>? findLoaded = null) =>
        new(Options(env, findLoaded));

    public LoaderOptions Options(IReadOnlyDictionary<string, string>? env = null, Func<string, ServiceDescription?>? findLoaded = null) => new()
    {
        ServiceDirectories = [Path],
        Environment = env ?? new Dictionary<string, string>(),
        Users = FakeUsers.Instance,
        FindLoaded = findLoaded,
    };

    /// <summary>Loads <paramref name="name"/> with nothing loaded before.</summary>
    public LoadOutcome Load(string name, IReadOnlyDictionary<string, string>? env = null) =>
        Loader(env).Load(name, _ => false);

    /// <summary>Loads and returns the named service's description, failing the test on a load error.</summary>
    public ServiceDescription Get(string name, IReadOnlyDictionary<string, string>? env = null)
    {
        var outcome = Load(name, env);
        Assert.That(outcome.Error, Is.Null, () => string.Join("\n", outcome.Error!.LogLines));
        return outcome.Services.Single(s => s.Name == name);
    }

    /// <summary>The single-service file <c>s</c> with <paramref name="text"/>; returns its load error.</summary>
    public LoadError Error(string text, string name = "s")
    {
        Write(ServiceName.Split(name).BaseName, text);
        var outcome = Load(name);
        Assert.That(outcome.Error, Is.Not.Null, "expected a load error");
        return outcome.Error!;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A fixed password/group database.</summary>
public sealed class FakeUsers : IUserDatabase
{
    public static readonly FakeUsers Instance = new();

    private static readonly PasswdEntry[] Users =
    [
        new("root", 0, 0, "/root", "/bin/sh"),
        new("alice", 1000, 1001, "/home/alice", "/bin/bash"),
    ];

    public PasswdEntry? UserByName(string name) => Users.FirstOrDefault(u => u.Name == name);
    public PasswdEntry? UserById(int uid) => Users.FirstOrDefault(u => u.Uid == uid);
    public int? GroupByName(string name) => name switch { "root" => 0, "staff" => 50, _ => null };
    public int RealUid => 0;
    public int RealGid => 0;
    public int EffectiveUid => 0;
}
