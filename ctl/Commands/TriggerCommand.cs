using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>trigger, untrigger (ctl.md §10).</summary>
internal static class TriggerCommand
{
    public static int Run(CtlContext context)
    {
        using var connection = context.Connect();
        RequireVersion(connection, 2);
        var record = ServiceLoading.Load(connection, context.Program, context.Options.Arguments[0]);
        connection.Send(ControlRequests.SetTrigger(record.Handle, context.Options.Command == "trigger"));
        return (ReplyCode)connection.ReadReply()[0] switch
        {
            ReplyCode.Ack => 0,
            ReplyCode.Nak => throw new CtlException("cannot trigger a service that is not of 'triggered' type."),
            _ => throw new CtlException("protocol error."),
        };
    }

    public static void RequireVersion(ControlConnection connection, int version)
    {
        if (connection.ServerVersion < version) throw new CtlException("daemon too old or protocol error");
    }
}
