using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>restart-manager [--exec PATH] (tinyinit extension): planned hand-over to a new manager image.</summary>
internal static class RestartManagerCommand
{
    public static int Run(CtlContext context)
    {
        var path = InPlaceRestartRequest.Send(context, "restart-manager", bytes => ControlRequests.RestartManager(bytes),
            RequestFraming.MaxPayloadLength, ReplyCode.HandOverRefused, "manager hand-over refused");
        context.Info(path == null ? "Manager restarting in place." : $"Manager handing over to {path}.");
        return 0;
    }
}
