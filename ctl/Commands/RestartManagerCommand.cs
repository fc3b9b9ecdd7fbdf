using System.Text;
using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>restart-manager [--exec PATH] (tinyinit extension): planned hand-over to a new manager image.</summary>
internal static class RestartManagerCommand
{
    public static int Run(CtlContext context)
    {
        var path = context.Options.ExecPath;
        // The manager resolves a relative path against its own directory, not ours: send it absolute.
        if (path != null) path = Path.GetFullPath(path);
        var bytes = Encoding.UTF8.GetBytes(path ?? "");
        if (bytes.Length > RequestFraming.MaxPayloadLength) throw new CtlException("executable path too long.");
        using var connection = context.Connect();
        connection.Send(ControlRequests.RestartManager(bytes));
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
            throw new CtlException("the manager does not support restart-manager.");
        if (reply[0] == (byte)ReplyCode.HandOverRefused)
            throw new CtlException($"manager hand-over refused: {ControlReplies.HandOverRefused(reply)}");
        if (reply[0] != (byte)ReplyCode.Ack) throw new CtlException("protocol error.");
        context.Info(path == null ? "Manager restarting in place." : $"Manager handing over to {path}.");
        return 0;
    }
}
