using Tinyinit.Ctl.Client;
using Tinyinit.Ctl.Render;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>status, is-started, is-failed (ctl.md §4), with --json.</summary>
internal static class StatusCommand
{
    public static int Run(CtlContext context)
    {
        if (context.Options.Arguments.Count == 0) return ManagerStatusCommand.Run(context);
        var name = context.Options.Arguments[0];
        using var connection = context.Connect();
        if (ServiceLoading.Find(connection, name) is not { } record)
        {
            if (context.Options.Command == "status") context.Error("service not loaded.");
            else if (context.Options.Json) context.Out.Write(JsonOutput.Document(w => QueryJson(w, name, null, false)));
            return 1;
        }
        var file = context.Options.Command == "status" ? DescriptionFile.Query(connection, record.Handle, name) : null;
        var status = ServiceLoading.Status(connection, record.Handle) ?? throw new CtlException("protocol error");
        return context.Options.Command switch
        {
            "is-started" => Query(context, name, status, status.State == ServiceState.Started),
            "is-failed" => Query(context, name, status, status.IsFailedStart),
            _ => Status(context, connection, name, file, status, NotifyStatus(connection, record.Handle)),
        };
    }

    /// <summary>
    /// The service's sd_notify STATUS= text (tinyinit's NOTIFYSTATUS), "" when it has none or the
    /// manager does not know the request (the reference daemon answers BADREQ and closes: asked
    /// last, so nothing else is lost).
    /// </summary>
    private static string NotifyStatus(ControlConnection connection, uint handle)
    {
        try
        {
            connection.Send(ControlRequests.NotifyStatus(handle));
            var reply = connection.ReadReplyOrNull();
            if (reply is not { Length: >= 3 } || reply[0] != (byte)ReplyCode.NotifyStatus) return "";
            return System.Text.Encoding.UTF8.GetString(reply, 3, reply.Length - 3);
        }
        catch (CtlException)
        {
            return "";
        }
    }

    private static int Query(CtlContext context, string name, ServiceStatus status, bool condition)
    {
        if (context.Options.Json) context.Out.Write(JsonOutput.Document(w => QueryJson(w, name, status, condition)));
        else context.Info(StatusText.StateWord(status.State));
        return condition ? 0 : 1;
    }

    private static void QueryJson(System.Text.Json.Utf8JsonWriter w, string name, ServiceStatus? status, bool condition)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteBoolean("loaded", status != null);
        if (status is { } s) w.WriteString("state", StatusText.StateWord(s.State));
        else w.WriteNull("state");
        w.WriteBoolean("result", condition);
        w.WriteEndObject();
    }

    private static int Status(CtlContext context, ControlConnection connection, string name, DescriptionFile? file, ServiceStatus s, string notifyStatus)
    {
        var modified = file != null && connection.ServerVersion >= 6 && file.ChangedSince(s);
        if (context.Options.Json)
        {
            context.Out.Write(JsonOutput.Document(w =>
            {
                w.WriteStartObject();
                JsonOutput.ServiceFields(w, name, s);
                if (file != null) w.WriteString("file", file.DisplayPath);
                else w.WriteNull("file");
                w.WriteBoolean("fileModified", modified);
                if (notifyStatus.Length > 0) w.WriteString("notifyStatus", notifyStatus);
                else w.WriteNull("notifyStatus");
                w.WriteEndObject();
            }));
            return 0;
        }
        context.Out.Write(Text(name, file?.DisplayPath, modified, s, notifyStatus));
        return 0;
    }

    /// <summary>The status block of ctl.md §4.2, plus the service's own sd_notify status line when it has one.</summary>
    public static string Text(string name, string? file, bool modified, in ServiceStatus s, string notifyStatus = "")
    {
        var text = new System.Text.StringBuilder();
        text.Append($"Service: {name}\n");
        if (file != null) text.Append($"    File: {file}{(modified ? " (modified since loaded)" : "")}\n");
        text.Append($"    State: {StatusText.State(s)}");
        if (s.HoldsConsole) text.Append(" (holding console)");
        if (s.WaitingForConsole) text.Append(" (waiting for console)");
        text.Append('\n');
        if (s.Target == ServiceState.Started)
            text.Append(s.ExplicitlyActivated ? "    Activation: explicitly started\n" : "    Activation: start due to dependent(s)\n");
        if (s.HasPid) text.Append($"    Process ID: {s.Pid}\n");
        if (notifyStatus.Length > 0) text.Append($"    Status: {notifyStatus}\n");
        return text.ToString();
    }
}
