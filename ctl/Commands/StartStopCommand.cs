using Tinyinit.Ctl.Client;
using Tinyinit.Ctl.Render;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// start, stop, restart, wake, release (ctl.md §3). After an ACK the command follows the
/// service's events until the wanted outcome. Unlike the reference, an outcome already seen
/// before the reply ends the command at once, so every wait ends with a result.
/// </summary>
internal static class StartStopCommand
{
    private enum Phase { Stopping, Starting }

    public static int Run(CtlContext context)
    {
        var o = context.Options;
        var name = o.Arguments[0];
        var command = o.Command;
        using var connection = context.Connect();
        var mayIgnore = o.IgnoreUnstarted && command is "stop" or "release" or "restart";
        ServiceRecord record;
        if (mayIgnore)
        {
            if (ServiceLoading.TryLoad(connection, name) is not { } found) return 0;
            record = found;
        }
        else record = ServiceLoading.Load(connection, context.Program, name);

        if (command is "start" or "wake" or "restart") DescriptionFile.WarnIfChanged(connection, record.Handle, name, context);

        connection.Send(ControlRequests.StateChange(RequestOf(command), FlagsOf(context), record.Handle));
        var eventsFrom = connection.Events.Count;
        var reply = connection.ReadReply();
        if (reply[0] == (byte)ReplyCode.PreAck)
        {
            // Only events after the PREACK are caused by this restart.
            eventsFrom = connection.Events.Count;
            reply = connection.ReadReply();
        }
        if (reply[0] != (byte)ReplyCode.Ack) return ImmediateReply(context, connection, record, reply);
        if (o.NoWait)
        {
            var verb = command is "stop" or "release" ? "stop" : "start";
            context.Info($"Issued {verb} command successfully for service '{name}'.");
            return 0;
        }
        if (command == "release" && StillRequired(connection, record.Handle, eventsFrom))
        {
            // The reference waits forever here; tinyinit's rule is that every wait ends with a result.
            context.Info($"Service '{name}' released; it stays started while other services require it.");
            return 0;
        }
        return FollowEvents(context, connection, record.Handle, eventsFrom, command == "restart" || command is "stop" or "release" ? Phase.Stopping : Phase.Starting, command == "restart");
    }

    /// <summary>
    /// After a RELEASE is acknowledged: true if no stop is under way because the service is still
    /// wanted (required by dependents, or pinned started), so no STOPPED event will come.
    /// </summary>
    private static bool StillRequired(ControlConnection connection, uint handle, int eventsFrom)
    {
        var status = ServiceLoading.Status(connection, handle);
        if (connection.Events.Skip(eventsFrom).Any(e => e.Handle == handle && e.Event is ServiceEventCode.Stopped or ServiceEventCode.StopCancelled))
            return false;
        return status is { } s && s.Target == ServiceState.Started;
    }

    private static RequestCode RequestOf(string command) => command switch
    {
        "start" => RequestCode.StartService,
        "wake" => RequestCode.WakeService,
        "release" => RequestCode.ReleaseService,
        _ => RequestCode.StopService,
    };

    private static byte FlagsOf(CtlContext context)
    {
        var o = context.Options;
        byte flags = 0;
        if (o.Pin && o.Command != "restart") flags |= ControlRequests.PinFlag;
        if (o.Command is "stop" or "restart" && !o.Force) flags |= ControlRequests.GentleFlag;
        if (o.Command == "restart") flags |= ControlRequests.RestartFlag | ControlRequests.PreAckFlag;
        return flags;
    }

    private static int ImmediateReply(CtlContext context, ControlConnection connection, ServiceRecord record, byte[] reply)
    {
        var o = context.Options;
        var name = o.Arguments[0];
        var starting = o.Command is "start" or "wake" or "restart";
        switch ((ReplyCode)reply[0])
        {
            case ReplyCode.AlreadyInState:
                if (o.Command == "restart") context.Info("Service restarted.");
                else
                {
                    var wanted = starting ? ServiceState.Started : ServiceState.Stopped;
                    var already = record.State == wanted ? " (already)" : "";
                    context.Info($"Service{already} {(starting ? "started" : "stopped")}.");
                }
                return 0;
            case ReplyCode.PinnedStarted:
                context.Error($"cannot stop service '{name}' as it is pinned started");
                return 1;
            case ReplyCode.PinnedStopped:
                context.Error($"cannot start service '{name}' as it is pinned stopped");
                return 1;
            case ReplyCode.Dependents when o.Command is "stop" or "restart":
                ReportDependents(context, connection, reply);
                return 1;
            case ReplyCode.Nak when o.Command == "restart":
                if (o.IgnoreUnstarted)
                {
                    context.Info($"Service '{name}' is not currently started.");
                    return 0;
                }
                context.Error("cannot restart service; service not started.");
                return 1;
            case ReplyCode.Nak when o.Command == "wake":
                context.Error("service has no active dependents, cannot wake.");
                return 1;
            case ReplyCode.ShuttingDown:
                context.Error("cannot start/restart/wake service, shutdown is in progress.");
                return 1;
            default:
                context.Error("protocol error.");
                return 1;
        }
    }

    private static void ReportDependents(CtlContext context, ControlConnection connection, byte[] reply)
    {
        var names = ControlReplies.Dependents(reply).Select(h => ServiceLoading.Name(connection, h)).ToList();
        var text = $"{context.Program}: cannot stop service '{context.Options.Arguments[0]}' due to the following dependents:\n";
        if (context.Options.Command != "restart")
            text += "(only direct dependents are listed. Exercise caution before using '--force' !!)\n";
        text += " " + string.Concat(names.Select(n => " " + n)) + "\n";
        context.Err.Write(text);
    }

    /// <summary>Waits for TO to start after enable (ctl.md §9 step 11), with the texts of §3.3.</summary>
    public static int WaitForStart(CtlContext context, ControlConnection connection, uint handle, string name, int eventsFrom) =>
        FollowEvents(context, connection, handle, eventsFrom, Phase.Starting, restart: false, name);

    private static int FollowEvents(CtlContext context, ControlConnection connection, uint handle, int eventsFrom, Phase phase, bool restart, string? serviceName = null)
    {
        var name = serviceName ?? context.Options.Arguments[0];
        var index = eventsFrom;
        context.Out.Flush();
        while (true)
        {
            ServiceEventInfo serviceEvent;
            if (index < connection.Events.Count) serviceEvent = connection.Events[index++];
            else
            {
                var packet = ReadWhileWaiting(connection);
                if (connection.AsServiceEvent(packet) is not { } seen) continue;
                serviceEvent = seen;
            }
            if (serviceEvent.Handle != handle) continue;
            var outcome = phase == Phase.Stopping
                ? StopOutcome(context, name, serviceEvent, restart)
                : StartOutcome(context, name, serviceEvent);
            if (outcome == Continue) continue;
            if (outcome == NextPhase) { phase = Phase.Starting; continue; }
            return outcome;
        }
    }

    /// <summary>The next packet while waiting for an event: EOF is "protocol error", a read error is reported perror-style (ctl.md §3.3).</summary>
    private static byte[] ReadWhileWaiting(ControlConnection connection)
    {
        try
        {
            return connection.ReadPacket() ?? throw new CtlException("protocol error");
        }
        catch (CtlException e) when (e.ReadErrno != 0)
        {
            throw new CtlException($"read: {Native.Libc.StrError(e.ReadErrno)}");
        }
    }

    private const int Continue = -1;
    private const int NextPhase = -2;

    private static int StopOutcome(CtlContext context, string name, in ServiceEventInfo e, bool restart)
    {
        switch (e.Event)
        {
            case ServiceEventCode.Stopped:
                context.Info($"Service '{name}' stopped.");
                return restart ? NextPhase : 0;
            case ServiceEventCode.StopCancelled:
                context.Info($"Service '{name}' stop cancelled.");
                return 1;
            default:
                return Continue;
        }
    }

    private static int StartOutcome(CtlContext context, string name, in ServiceEventInfo e)
    {
        switch (e.Event)
        {
            case ServiceEventCode.Started:
                context.Info($"Service '{name}' started.");
                return 0;
            case ServiceEventCode.StartCancelled:
                context.Info($"Service '{name}' start cancelled.");
                return 1;
            case ServiceEventCode.FailedStart:
                if (!context.Options.Quiet)
                    context.Out.Write($"Service '{name}' failed to start.\n" + StatusText.FailureDetails(e.Status, context.ManagerName));
                return 1;
            default:
                return Continue;
        }
    }
}
