using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// The filesystem tree PID 1 looks after: it mounts the API filesystems there at boot and
/// unmounts (or remounts read-only) what is mounted there at the end. The whole system when
/// booted by the kernel; a directory named with <c>--root DIR</c> otherwise (tests and
/// containers: PID 1 of a mount namespace then treats DIR as its root and leaves "/" alone);
/// none for PID 1 of a plain PID namespace or a subreaper, which must not touch the host's mounts.
/// </summary>
internal sealed class SystemScope
{
    private SystemScope(string root, bool wholeSystem)
    {
        Root = root;
        WholeSystem = wholeSystem;
        RootPath = NativeStrings.NullTerminated(root == "" ? "/" : root);
        Prefix = NativeStrings.Utf8(root);
    }

    /// <summary>"" for the real root, else the directory without a trailing slash.</summary>
    public string Root { get; }

    /// <summary>The real system (swap is turned off only then).</summary>
    public bool WholeSystem { get; }

    /// <summary>The root as a C string ("/" or DIR).</summary>
    public byte[] RootPath { get; }

    /// <summary>The root as bytes to strip from mount points ("" or DIR).</summary>
    public byte[] Prefix { get; }

    /// <summary>An absolute path of the system ("/run") inside the scope.</summary>
    public string Path(string absolute) => Root + absolute;

    /// <summary>The scope for this start: --root wins; a kernel boot gets the whole system; else none.</summary>
    public static SystemScope? For(string? rootOption, bool kernelBoot)
    {
        if (!string.IsNullOrEmpty(rootOption))
        {
            var root = rootOption.TrimEnd('/');
            return root == "" ? new SystemScope("", wholeSystem: true) : new SystemScope(root, wholeSystem: false);
        }
        return kernelBoot ? new SystemScope("", wholeSystem: true) : null;
    }
}
