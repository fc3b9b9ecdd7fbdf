using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// reexec-init [--exec PATH] (tinyinit extension): PID 1 (tinyinit) re-executes itself in place,
/// keeping its children, the manager and its link; the manager passes the request on.
/// </summary>
internal static class ReexecInitCommand
{
    public static int Run(CtlContext context)
    {
        var path = InPlaceRestartRequest.Send(context, "reexec-init", bytes => ControlRequests.ReexecInit(bytes),
            LinkMessage.MaxPathLength, ReplyCode.ReexecInitRefused, "reexec-init refused");
        context.Info(path == null ? "PID 1 re-executing in place." : $"PID 1 re-executing {path}.");
        return 0;
    }
}
