using System.Globalization;
using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// <c>status</c> with no service name (tinyinit extension, MANAGERSTATUS): the manager's own
/// status — its generation (images since tinyinit started the first: crash restarts and
/// hand-overs both count) and when the current image started.
/// </summary>
internal static class ManagerStatusCommand
{
    public static int Run(CtlContext context)
    {
        using var connection = context.Connect();
        connection.Send(ControlRequests.ManagerStatus());
        byte[]? reply;
        try
        {
            reply = connection.ReadReplyOrNull();
        }
        catch (CtlException)
        {
            reply = null;
        }
        // The reference daemon answers BADREQ and closes; a manager without the status NAKs.
        if (reply is null || reply[0] is (byte)ReplyCode.BadRequest or (byte)ReplyCode.Nak)
            throw new CtlException("the manager does not report its own status (no service name given).");
        if (reply[0] != (byte)ReplyCode.ManagerStatus) throw new CtlException("protocol error.");
        var info = ManagerStatusInfo.Read(reply);
        var started = DateTimeOffset.FromUnixTimeSeconds(info.StartedUnixSeconds);
        var startedText = started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (context.Options.Json)
        {
            context.Out.Write(Render.JsonOutput.Document(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("generation", info.Generation);
                w.WriteString("started", startedText);
                w.WriteNumber("startedUnix", info.StartedUnixSeconds);
                w.WriteNumber("crashRecordBytes", info.RecordBytes);
                w.WriteNumber("crashRecordWriteMicroseconds", info.RecordWriteMicroseconds);
                w.WriteEndObject();
            }));
            return 0;
        }
        context.Out.Write("Service manager:\n");
        context.Out.Write($"    Generation: {info.Generation}{(info.Generation > 1 ? $" ({info.Generation - 1} restart{(info.Generation > 2 ? "s" : "")} since the first)" : "")}\n");
        context.Out.Write($"    Started: {startedText}\n");
        if (info.RecordBytes > 0)
            context.Out.Write($"    Crash record: {info.RecordBytes} bytes of engine state, last written in {info.RecordWriteMicroseconds} us\n");
        return 0;
    }
}
