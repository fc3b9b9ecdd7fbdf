using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>unpin, unload, reload (ctl.md §6).</summary>
internal static class ServiceAdminCommands
{
    public static int Unpin(CtlContext context)
    {
        var name = context.Options.Arguments[0];
        using var connection = context.Connect();
        var record = ServiceLoading.Load(connection, context.Program, name);
        connection.Send(ControlRequests.Unpin(record.Handle));
        if (connection.ReadReply()[0] != (byte)ReplyCode.Ack) throw new CtlException("protocol error.");
        context.Info($"Service '{name}' unpinned.");
        return 0;
    }

    public static int Unload(CtlContext context)
    {
        var name = context.Options.Arguments[0];
        using var connection = context.Connect();
        var record = ServiceLoading.Find(connection, name) ?? throw new CtlException("service not loaded.");
        connection.Send(ControlRequests.Unload(record.Handle));
        switch ((ReplyCode)connection.ReadReply()[0])
        {
            case ReplyCode.Ack:
                context.Info($"Service '{name}' unloaded.");
                return 0;
            case ReplyCode.Nak:
                throw new CtlException("could not unload service; service not stopped, or is a dependency of another service.");
            default:
                throw new CtlException("protocol error.");
        }
    }

    public static int Reload(CtlContext context)
    {
        var name = context.Options.Arguments[0];
        using var connection = context.Connect();
        if (ServiceLoading.Find(connection, name) is not { } record)
        {
            ServiceLoading.Load(connection, context.Program, name);
            context.Info($"Service '{name}' reloaded.");
            return 0;
        }
        connection.Send(ControlRequests.Reload(record.Handle));
        switch ((ReplyCode)connection.ReadReply()[0])
        {
            case ReplyCode.Ack:
                context.Info($"Service '{name}' reloaded.");
                return 0;
            case ReplyCode.Nak:
                const string refused = "could not reload service; service in wrong state, incompatible change, or bad service description.";
                if (context.Personality.IsReference) throw new CtlException(refused);
                throw new CtlException(refused + LoadFailureReason.Describe(LoadFailureReason.Find(connection, name, LoadFailureReason.IsFaultInTheFiles), context.Program));
            default:
                throw new CtlException("protocol error.");
        }
    }
}
