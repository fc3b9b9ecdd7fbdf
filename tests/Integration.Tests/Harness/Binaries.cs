namespace Tinyinit.Integration.Tests.Harness;

/// <summary>Where the published AOT binaries are: $TINYINIT_BIN_DIR, else &lt;repo&gt;/out/bin.</summary>
public static class Binaries
{
    public static string Directory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("TINYINIT_BIN_DIR");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "tinyinit.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? ".", "out", "bin");
        }
    }

    public static string Path_(string name) => Path.Combine(Directory, name);

    /// <summary>Skips the calling test unless the named binaries were published (`make`).</summary>
    public static void Require(params string[] names)
    {
        foreach (var name in names)
            if (!File.Exists(Path_(name)))
                Assert.Ignore($"{Path_(name)} not built (run `make`)");
    }
}
