using Tinyinit.Engine;
using Tinyinit.Loader;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// The launch settings the child applies at semantics.md §9.6 steps 7 (on the console), 10, 12
/// and 13, resolved from a service description before the launch (native/launcher/privileges.h
/// applies them): the cgroup directory, capabilities as masks, securebits, no-new-privs and the
/// console's terms.
/// </summary>
internal sealed record PrivilegeSettings
{
    /// <summary>The console is the manager's own standard input (and output): the child inherits 0-2 as they are.</summary>
    public const int ConsoleFd = 0;

    /// <summary>Absolute cgroup directory to enter, or null.</summary>
    public string? CgroupDirectory { get; init; }
    /// <summary>The capabilities setting, or null when the service leaves them unchanged.</summary>
    public CapabilitySets? Capabilities { get; init; }
    /// <summary>Kernel securebits (SECBIT_*; the enum's values are the kernel's), 0: unchanged.</summary>
    public uint SecureBits { get; init; }
    public bool NoNewPrivs { get; init; }
    /// <summary>The command runs on the console (the manager's standard input, output and error).</summary>
    public bool OnConsole { get; init; }
    /// <summary>Exclusive use: the child's process group becomes the console's foreground.</summary>
    public bool ConsoleForeground { get; init; }
    /// <summary>In the foreground, ^C (SIGINT) reaches the process instead of being masked.</summary>
    public bool UnmaskIntr { get; init; }

    public static PrivilegeSettings For(ServiceDescription d, CommandKind kind, CgroupPaths cgroups)
    {
        var onConsole = ServiceCommandBuilder.OnConsole(d, kind);
        return new PrivilegeSettings
        {
            CgroupDirectory = string.IsNullOrEmpty(d.RunInCgroup) ? null : cgroups.Directory(d.RunInCgroup),
            // Checked when the file was loaded: the text is valid IAB.
            Capabilities = d.Capabilities == null ? null : CapabilitySets.FromIab(d.Capabilities),
            SecureBits = (uint)d.SecureBits,
            NoNewPrivs = (d.Options & ServiceOptions.NoNewPrivs) != 0,
            OnConsole = onConsole,
            ConsoleForeground = onConsole && (d.Options & ServiceOptions.SharesConsole) == 0,
            UnmaskIntr = (d.Options & ServiceOptions.UnmaskIntr) != 0,
        };
    }
}
