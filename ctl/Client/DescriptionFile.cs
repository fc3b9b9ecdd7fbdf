using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Client;

/// <summary>
/// Where a loaded service's description file is and whether it changed since it was loaded
/// (ctl.md §3.1, §4.2): directory from QUERYSERVICEDSCDIR, relative directories resolved against
/// the daemon's cwd (QUERY_LOAD_MECH), compared with the mtime from a v6 status buffer.
/// </summary>
internal sealed record DescriptionFile(string DisplayPath, string ResolvedPath)
{
    /// <summary>The file of the handle's service, or null if the daemon does not say (old protocol, NAK).</summary>
    public static DescriptionFile? Query(ControlConnection connection, uint handle, string name)
    {
        if (connection.ServerVersion < 3) return null;
        connection.Send(ControlRequests.QueryServiceDirectory(handle));
        var reply = connection.ReadReply();
        if (reply[0] != (byte)ReplyCode.ServiceDescriptionDirectory) return null;
        var directory = ControlReplies.ServiceDirectory(reply);
        var baseName = name.Split('@', 2)[0];
        var display = directory + "/" + baseName;
        if (directory.StartsWith('/')) return new DescriptionFile(display, display);
        connection.Send(ControlRequests.QueryLoadMech());
        var mechanism = connection.ReadReply();
        var cwd = mechanism[0] == (byte)ReplyCode.LoaderMech ? ControlReplies.LoaderMechanism(mechanism)?.WorkingDirectory ?? "" : "";
        return new DescriptionFile(display, cwd.Length == 0 ? display : cwd + "/" + display);
    }

    /// <summary>True if the file exists and its mtime differs from the recorded one (compared at the 100 ns the runtime reports).</summary>
    public bool ChangedSince(in ServiceStatus status)
    {
        if (!File.Exists(ResolvedPath)) return false;
        var written = File.GetLastWriteTimeUtc(ResolvedPath);
        var ticks = written.Ticks - DateTime.UnixEpoch.Ticks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var hundredNanos = ticks % TimeSpan.TicksPerSecond;
        return seconds != status.DescriptionSeconds || hundredNanos != status.DescriptionNanoseconds / 100;
    }

    /// <summary>The reference's warning before start/wake/restart (protocol ≥ 6).</summary>
    public static void WarnIfChanged(ControlConnection connection, uint handle, string name, Commands.CtlContext context)
    {
        if (connection.ServerVersion < 6) return;
        var file = Query(connection, handle, name);
        if (file == null) return;
        var status = ServiceLoading.Status(connection, handle);
        if (status is { } s && file.ChangedSince(s))
            context.Error($"warning: service description may have changed; use '{context.Program} reload {name}' to apply changes.");
    }
}
