namespace Tinyinit.Vm.Tests;

/// <summary>Paths the VM tests need: the repository, its scripts/vm and the published binaries.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "tinyinit.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("tinyinit.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Script(string name) => Path.Combine(Root, "scripts", "vm", name);

    /// <summary>$TINYINIT_BIN_DIR, else &lt;repo&gt;/out/bin.</summary>
    public static string BinDir
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("TINYINIT_BIN_DIR");
            return string.IsNullOrEmpty(fromEnv) ? Path.Combine(Root, "out", "bin") : fromEnv;
        }
    }

    /// <summary>Where the kernel is cached and the images and boot logs go.</summary>
    public static string WorkDir => Path.Combine(Root, "out", "vm");
}
