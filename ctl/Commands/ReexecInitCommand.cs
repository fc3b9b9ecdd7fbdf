using System.Text;
using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// reexec-init [--exec PATH] (tinyinit extension): PID 1 (tinyinit) re-executes itself in place,
/// keeping its children, the manager and its link; the manager passes the request on.
/// </summary>
internal static class ReexecInitCommand
{
    public static int Run(CtlContext context)
    {
        var path = context.Options.ExecPath;
        // PID 1 resolves a relative path against its own directory, not ours: send it absolute.
        if (path != null) path = Path.GetFullPath(path);
        var bytes = Encoding.UTF8.GetBytes(path ?? "");
        if (bytes.Length > Tinyinit.Protocol.InitLink.LinkMessage.MaxPathLength) throw new CtlException("executable path too long.");
        using var connection = context.Connect();
        connection.Send(ControlRequests.ReexecInit(bytes));
        byte[]? reply;
        try
        {
            reply = connection.ReadReplyOrNull();
        }
        catch (CtlException)
        {
            reply = null;
        }
        // A manager without the request (the reference's, or an older tinyinitd) answers BADREQ and closes.
        if (reply is null || reply[0] == (byte)ReplyCode.BadRequest)
            throw new CtlException("the manager does not support reexec-init.");
        if (reply[0] == (byte)ReplyCode.ReexecInitRefused)
            throw new CtlException($"reexec-init refused: {ControlReplies.HandOverRefused(reply)}");
        if (reply[0] != (byte)ReplyCode.Ack) throw new CtlException("protocol error.");
        context.Info(path == null ? "PID 1 re-executing in place." : $"PID 1 re-executing {path}.");
        return 0;
    }
}
