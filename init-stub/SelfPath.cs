namespace Tinyinit.Init;

/// <summary>
/// tinyinit's own executable: Environment.ProcessPath, else argv[0] when absolute (the kernel
/// starts init with its path as argv[0], and /proc may not be mounted yet to tell us more).
/// </summary>
internal static class SelfPath
{
    public static string? Find()
    {
        var path = Environment.ProcessPath;
        if (!string.IsNullOrEmpty(path)) return path;
        var argv = Environment.GetCommandLineArgs();
        return argv.Length > 0 && argv[0].StartsWith('/') ? argv[0] : null;
    }
}
