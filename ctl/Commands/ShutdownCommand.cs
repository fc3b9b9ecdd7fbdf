using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>shutdown (ctl.md §7): SHUTDOWN type HALT, then wait for the daemon to close the connection.</summary>
internal static class ShutdownCommand
{
    public static int Run(CtlContext context)
    {
        using var connection = context.Connect();
        connection.Send(ControlRequests.Shutdown(ShutdownType.Halt));
        var reply = connection.ReadReply();
        if (reply[0] != (byte)ReplyCode.Ack) throw new CtlException("control socket protocol error");
        context.Info($"Shutting down {context.ManagerName}...");
        context.Out.Flush();
        connection.DrainUntilClosed();
        context.Info("Connection closed.");
        return 0;
    }
}
