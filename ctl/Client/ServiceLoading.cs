using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Client;

/// <summary>The service-loading step every command starts with (ctl.md §2).</summary>
internal static class ServiceLoading
{
    /// <summary>
    /// LOADSERVICE; failures throw with the reference's two-line messages under the name
    /// dinitctl. Under tinyctl's own name the second line of a load failure is replaced by the
    /// loader's own explanation (<see cref="LoadFailureReason"/>) when it can be found.
    /// </summary>
    public static ServiceRecord Load(ControlConnection connection, string program, string name)
    {
        connection.Send(ControlRequests.LoadService(name));
        var reply = connection.ReadReply();
        return (ReplyCode)reply[0] switch
        {
            ReplyCode.ServiceRecord => ControlReplies.ServiceRecord(reply),
            ReplyCode.NoService => throw new CtlException(
                $"failed to find service description.\n{program}: check service description file exists / service name spelling."),
            ReplyCode.ServiceDescriptionError => throw LoadFailed(connection, program, name, "error in service description.",
                LoadFailureReason.IsDescriptionError),
            ReplyCode.ServiceLoadError => throw LoadFailed(connection, program, name, "error loading service (or dependency of service).",
                LoadFailureReason.IsLoadError),
            _ => throw new CtlException("protocol error"),
        };
    }

    private static CtlException LoadFailed(ControlConnection connection, string program, string name, string firstLine,
        Func<Loader.LoadErrorKind, bool> explains)
    {
        IReadOnlyList<string> reason = Loader.Personality.ForProgram(program).IsReference ? [] : LoadFailureReason.Find(connection, name, explains);
        return new CtlException(reason.Count > 0
            ? firstLine + LoadFailureReason.Describe(reason, program)
            : $"{firstLine}\n{program}: try 'dinit-check <service-name>' or check log for more information.");
    }

    /// <summary>LOADSERVICE that reports failure as null instead (--ignore-unstarted).</summary>
    public static ServiceRecord? TryLoad(ControlConnection connection, string name)
    {
        connection.Send(ControlRequests.LoadService(name));
        var reply = connection.ReadReply();
        return reply[0] == (byte)ReplyCode.ServiceRecord ? ControlReplies.ServiceRecord(reply) : null;
    }

    /// <summary>FINDSERVICE: null if not loaded; a refused name (BADREQ) is a protocol error.</summary>
    public static ServiceRecord? Find(ControlConnection connection, string name)
    {
        connection.Send(ControlRequests.FindService(name));
        var reply = connection.ReadReply();
        return (ReplyCode)reply[0] switch
        {
            ReplyCode.ServiceRecord => ControlReplies.ServiceRecord(reply),
            ReplyCode.NoService => null,
            _ => throw new CtlException("protocol error"),
        };
    }

    /// <summary>Sends a request whose reply carries a status buffer of the given version and decodes it; NAK → null.</summary>
    public static ServiceStatus? Status(ControlConnection connection, uint handle)
    {
        var version = StatusVersion(connection);
        connection.Send(ControlRequests.ServiceStatus(handle, version));
        var reply = connection.ReadReply(StatusBuffer.SizeOf(version));
        if (reply[0] == (byte)ReplyCode.Nak) return null;
        if (reply[0] != (byte)ReplyCode.ServiceStatus) throw new CtlException("protocol error");
        return ControlReplies.ServiceStatus(reply, version).Status;
    }

    public static int StatusVersion(ControlConnection connection) => connection.ServerVersion switch
    {
        >= 6 => 6,
        5 => 5,
        _ => 1,
    };

    /// <summary>QUERYSERVICENAME; the handle's full name.</summary>
    public static string Name(ControlConnection connection, uint handle)
    {
        connection.Send(ControlRequests.QueryServiceName(handle));
        var reply = connection.ReadReply();
        if (reply[0] != (byte)ReplyCode.ServiceName) throw new CtlException("protocol error");
        return ControlReplies.ServiceName(reply);
    }
}
