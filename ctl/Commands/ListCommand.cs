using Tinyinit.Ctl.Client;
using Tinyinit.Ctl.Render;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>list (ctl.md §5), with --json.</summary>
internal static class ListCommand
{
    public static int Run(CtlContext context)
    {
        using var connection = context.Connect();
        var entries = Fetch(connection);
        if (context.Options.Json)
        {
            context.Out.Write(JsonOutput.Document(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("services");
                foreach (var e in entries)
                {
                    w.WriteStartObject();
                    JsonOutput.ServiceFields(w, e.Name, e.Status);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
            return 0;
        }
        var text = new System.Text.StringBuilder();
        foreach (var e in entries) text.Append(ListLine.Format(e)).Append('\n');
        context.Out.Write(text.ToString());
        return 0;
    }

    public static List<ServiceListEntry> Fetch(ControlConnection connection)
    {
        var version = connection.ServerVersion >= 5 ? 5 : 1;
        connection.Send(ControlRequests.ListServices(version == 5));
        var entries = new List<ServiceListEntry>();
        while (true)
        {
            var packet = connection.ReadReply(StatusBuffer.SizeOf(version));
            if (packet[0] == (byte)ReplyCode.ListDone) return entries;
            if (packet[0] != (byte)ReplyCode.ServiceInfo) throw new CtlException("control socket protocol error");
            entries.Add(ControlReplies.ServiceInfo(packet, version));
        }
    }
}
