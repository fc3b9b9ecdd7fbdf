using System.Text;
using Tinyinit.Ctl.Client;
using Tinyinit.Ctl.Render;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>setenv, unsetenv (ctl.md §10) and tinyinit's getallenv.</summary>
internal static class EnvironmentCommands
{
    public static int SetOrUnset(CtlContext context)
    {
        var unset = context.Options.Command == "unsetenv";
        using var connection = context.Connect();
        foreach (var arg in context.Options.Arguments)
        {
            string assignment;
            if (unset)
            {
                if (arg.Contains('=')) throw new CtlException($"environment variable '{arg}' must not contain the '=' sign.");
                assignment = arg;
            }
            else assignment = arg.Contains('=') ? arg : arg + "=" + (context.Environment(arg) ?? "");
            var name = assignment.Split('=', 2)[0];
            if (!Loader.EnvironmentName.IsValid(name))
                throw new CtlException($"invalid environment variable name '{name}': {Loader.EnvironmentName.Rule}.");
            if (assignment.Contains('\0')) throw new CtlException($"environment variable '{name}' must not contain a NUL byte.");
            var bytes = Encoding.UTF8.GetBytes(assignment);
            if (bytes.Length > RequestFraming.MaxPayloadLength)
                throw new CtlException($"environment variable '{(unset ? arg : arg.Split('=', 2)[0])}' too long.");
            connection.Send(ControlRequests.SetEnv(bytes));
            var reply = ReplyOrNothing(connection);
            if (reply is null || reply[0] == (byte)ReplyCode.BadRequest) throw new CtlException("failed to export environment.");
            if (reply[0] != (byte)ReplyCode.Ack) throw new CtlException("protocol error.");
        }
        return 0;
    }

    /// <summary>The reply, or null if the daemon closed the connection (after BADREQ the close may even reset it).</summary>
    private static byte[]? ReplyOrNothing(ControlConnection connection)
    {
        try
        {
            return connection.ReadReplyOrNull();
        }
        catch (CtlException e) when (e.Message == "control socket read failure or protocol error")
        {
            return null; // a refusal (permission denied) is reported as such
        }
    }

    public static int GetAll(CtlContext context)
    {
        using var connection = context.Connect();
        TriggerCommand.RequireVersion(connection, 4);
        connection.Send(ControlRequests.GetAllEnv());
        var reply = connection.ReadReply();
        if (reply[0] != (byte)ReplyCode.AllEnvironment) throw new CtlException("protocol error.");
        var entries = ControlReplies.AllEnvironment(reply);
        if (!context.Options.Json)
        {
            context.Out.Write(string.Concat(entries.Select(e => e + "\n")));
            return 0;
        }
        context.Out.Write(JsonOutput.Document(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("environment");
            foreach (var entry in entries)
            {
                var equals = entry.IndexOf('=');
                w.WriteString(equals < 0 ? entry : entry[..equals], equals < 0 ? "" : entry[(equals + 1)..]);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        return 0;
    }
}
