using System.Text;
using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// What restart-manager and reexec-init share (tinyinit extensions): an optional executable
/// path, sent absolute, and a reply that is ACK, a refusal with a reason, or the BADREQ of a
/// manager that does not know the request.
/// </summary>
internal static class InPlaceRestartRequest
{
    /// <returns>The absolute path sent, or null for "the running executable".</returns>
    public static string? Send(CtlContext context, string command, Func<byte[], byte[]> request, int maxPathBytes,
        ReplyCode refused, string refusedPrefix)
    {
        var path = context.Options.ExecPath;
        // The receiver resolves a relative path against its own directory, not ours: send it absolute.
        if (path != null) path = Path.GetFullPath(path);
        var bytes = Encoding.UTF8.GetBytes(path ?? "");
        if (bytes.Length > maxPathBytes) throw new CtlException("executable path too long.");
        using var connection = context.Connect();
        connection.Send(request(bytes));
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
            throw new CtlException($"the manager does not support {command}.");
        if (reply[0] == (byte)refused) throw new CtlException($"{refusedPrefix}: {ControlReplies.HandOverRefused(reply)}");
        if (reply[0] != (byte)ReplyCode.Ack) throw new CtlException("protocol error.");
        return path;
    }
}
