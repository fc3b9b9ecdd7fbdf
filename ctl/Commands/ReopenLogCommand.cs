using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// reopen-log SERVICE (tinyinit extension, REOPENLOG 204): the manager closes the service's
/// log file and opens it again at its configured path, without touching the service's
/// processes — what logrotate's postrotate needs (tinyctl(8) has the recipe).
/// </summary>
internal static class ReopenLogCommand
{
    public static int Run(CtlContext context)
    {
        var name = context.Options.Arguments[0];
        using var connection = context.Connect();
        var record = ServiceLoading.Find(connection, name) ?? throw new CtlException("service not loaded.");
        connection.Send(ControlRequests.ReopenLog(record.Handle));
        var reply = connection.ReadReply();
        switch ((ReplyCode)reply[0])
        {
            case ReplyCode.Ack:
                context.Info($"Service '{name}': log file reopened.");
                return 0;
            case ReplyCode.Nak:
                throw new CtlException("cannot reopen log for service not configured to log to a file.");
            case ReplyCode.LogReopenFailed:
                throw new CtlException($"cannot reopen log file: {ControlReplies.HandOverRefused(reply)}");
            default:
                throw new CtlException("protocol error.");
        }
    }
}
