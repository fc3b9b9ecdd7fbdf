using Tinyinit.Loader;

namespace Tinyinit.Ctl.Client;

/// <summary>
/// Beyond the reference, under tinyctl's own name only: why the manager could not load a
/// service. The control protocol carries no reason (SERVICE_DESC_ERR and SERVICE_LOAD_ERR are
/// bare codes, and dinitctl's texts must stay exact), so tinyctl loads the service itself the
/// way the manager does — its directories and environment, asked over the same connection —
/// and reports the loader's own lines (file, line, setting), as the manager logged them.
/// </summary>
internal static class LoadFailureReason
{
    /// <summary>
    /// The loader's lines, or empty when the load succeeds here or fails for another kind of
    /// reason than <paramref name="explains"/> accepts (the files changed since, or this client
    /// cannot read what the manager can), or the manager does not say where it loads from.
    /// </summary>
    public static IReadOnlyList<string> Find(ControlConnection connection, string name, Func<LoadErrorKind, bool> explains)
    {
        var settings = DaemonLoaderSettings.Query(connection);
        if (settings == null) return [];
        var loader = new ServiceLoader(new LoaderOptions
        {
            ServiceDirectories = settings.ServiceDirectories,
            Environment = settings.Environment,
            UserMode = Native.Libc.getuid() != 0,
        });
        return loader.Load(name, _ => false).Error is { } error && explains(error.Kind) ? error.LogLines : [];
    }

    /// <summary>Whether a failure of this kind is what the manager reports as SERVICE_DESC_ERR (else SERVICE_LOAD_ERR).</summary>
    public static bool IsDescriptionError(LoadErrorKind kind) => kind == LoadErrorKind.DescriptionError;

    public static bool IsLoadError(LoadErrorKind kind) => kind is not (LoadErrorKind.DescriptionError or LoadErrorKind.NotFound or LoadErrorKind.InvalidName);

    /// <summary>Any failure but a missing file: a file tinyctl cannot find is more likely out of its sight than gone.</summary>
    public static bool IsFaultInTheFiles(LoadErrorKind kind) => kind is not (LoadErrorKind.NotFound or LoadErrorKind.InvalidName);

    /// <summary>The lines as tinyctl prints them after its first line: one message per line, each with the program prefix.</summary>
    public static string Describe(IReadOnlyList<string> lines, string program) =>
        string.Concat(lines.Select(line => $"\n{program}: {line}"));
}
