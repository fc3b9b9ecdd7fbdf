using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Client;

/// <summary>
/// The running manager's service directories (QUERY_LOAD_MECH, relative ones resolved against
/// its working directory) and global environment (GETALLENV): what it loads descriptions with.
/// </summary>
internal sealed record DaemonLoaderSettings(IReadOnlyList<string> ServiceDirectories, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Null when the manager does not report its directories.</summary>
    public static DaemonLoaderSettings? Query(ControlConnection connection)
    {
        connection.Send(ControlRequests.QueryLoadMech());
        var reply = connection.ReadReply();
        var mechanism = reply[0] == (byte)ReplyCode.LoaderMech ? ControlReplies.LoaderMechanism(reply) : null;
        if (mechanism == null) return null;
        var directories = mechanism.ServiceDirectories
            .Select(d => Path.IsPathRooted(d) || mechanism.WorkingDirectory.Length == 0 ? d : Path.Combine(mechanism.WorkingDirectory, d))
            .ToList();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (connection.ServerVersion >= 4)
        {
            connection.Send(ControlRequests.GetAllEnv());
            var envReply = connection.ReadReply();
            if (envReply[0] != (byte)ReplyCode.AllEnvironment) throw new CtlException("protocol error");
            foreach (var entry in ControlReplies.AllEnvironment(envReply))
            {
                var equals = entry.IndexOf('=');
                if (equals > 0) environment[entry[..equals]] = entry[(equals + 1)..];
            }
        }
        return new DaemonLoaderSettings(directories, environment);
    }
}
