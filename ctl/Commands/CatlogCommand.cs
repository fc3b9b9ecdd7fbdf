using Tinyinit.Ctl.Client;
using Tinyinit.Ctl.Render;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>catlog [--clear] (ctl.md §10), with --json; --quiet does not suppress the log.</summary>
internal static class CatlogCommand
{
    public static int Run(CtlContext context, Stream rawStdout)
    {
        var name = context.Options.Arguments[0];
        using var connection = context.Connect();
        TriggerCommand.RequireVersion(connection, 2);
        var record = ServiceLoading.Load(connection, context.Program, name);
        connection.Send(ControlRequests.CatLog(record.Handle, context.Options.Clear));
        var reply = connection.ReadReply();
        if (reply[0] == (byte)ReplyCode.Nak) throw new CtlException("cannot cat log for service not configured to buffer output.");
        if (reply[0] != (byte)ReplyCode.ServiceLog) throw new CtlException("protocol error.");
        var log = ControlReplies.ServiceLog(reply);
        if (context.Options.Json)
        {
            context.Out.Write(JsonOutput.Document(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("log", System.Text.Encoding.UTF8.GetString(log));
                w.WriteBoolean("lastLineComplete", log.Length == 0 || log[^1] == (byte)'\n');
                w.WriteEndObject();
            }));
            return 0;
        }
        // The raw bytes, not decoded text: a log may hold anything a service wrote.
        context.Out.Flush();
        rawStdout.Write(log);
        if (log.Length > 0 && log[^1] != (byte)'\n') rawStdout.Write("\n(last line is truncated or incomplete)\n"u8);
        rawStdout.Flush();
        return 0;
    }
}
