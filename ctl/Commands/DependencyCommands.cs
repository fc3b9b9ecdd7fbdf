using Tinyinit.Ctl.Cli;
using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>add-dep, rm-dep (ctl.md §8): runtime-only links.</summary>
internal static class DependencyCommands
{
    public static int Run(CtlContext context)
    {
        var args = context.Options.Arguments;
        var type = CommandTable.DependencyTypeOf(args[0]) ?? throw new CtlException("Invalid command line.");
        var (from, to) = (args[1], args[2]);
        var adding = context.Options.Command == "add-dep";
        using var connection = context.Connect();
        var fromRecord = ServiceLoading.Load(connection, context.Program, from);
        var toRecord = ServiceLoading.Load(connection, context.Program, to);
        connection.Send(ControlRequests.Dependency(adding ? RequestCode.AddDep : RequestCode.RemDep, type, fromRecord.Handle, toRecord.Handle));
        // Naming one service twice: the daemon answers BADREQ (ctl.md §8 correction), as the reference.
        var reply = connection.ReadReplyOrNull() ?? throw new CtlException("control socket protocol error");
        switch ((ReplyCode)reply[0])
        {
            case ReplyCode.Ack:
                context.Info($"Service '{from}': dependency '{to}' {(adding ? "added" : "removed")}");
                return 0;
            case ReplyCode.Nak:
                throw new CtlException(adding ? "could not add dependency: circular dependency or wrong state" : "no such dependency to remove");
            default:
                throw new CtlException("control socket protocol error");
        }
    }
}
