using Tinyinit.Ctl.Client;

namespace Tinyinit.Ctl.Commands;

/// <summary>Runs a parsed command; turns <see cref="CtlException"/> into the prefixed stderr message and exit status 1.</summary>
internal static class CommandRunner
{
    public static int Run(CtlContext context, Stream rawStdout)
    {
        try
        {
            return context.Options.Command switch
            {
                "start" or "stop" or "restart" or "wake" or "release" => StartStopCommand.Run(context),
                "status" or "is-started" or "is-failed" => StatusCommand.Run(context),
                "list" => ListCommand.Run(context),
                "shutdown" => ShutdownCommand.Run(context),
                "unpin" => ServiceAdminCommands.Unpin(context),
                "unload" => ServiceAdminCommands.Unload(context),
                "reload" => ServiceAdminCommands.Reload(context),
                "add-dep" or "rm-dep" => DependencyCommands.Run(context),
                "enable" or "disable" => EnableCommand.Run(context),
                "trigger" or "untrigger" => TriggerCommand.Run(context),
                "catlog" => CatlogCommand.Run(context, rawStdout),
                "signal" => SignalCommand.Run(context),
                "setenv" or "unsetenv" => EnvironmentCommands.SetOrUnset(context),
                "getallenv" => EnvironmentCommands.GetAll(context),
                "restart-manager" => RestartManagerCommand.Run(context),
                "reexec-init" => ReexecInitCommand.Run(context),
                "reopen-log" => ReopenLogCommand.Run(context),
                _ => throw new CtlException("Invalid command line."),
            };
        }
        catch (CtlException e)
        {
            context.Out.Flush();
            context.Error(e.Message);
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException)
        {
            // A reply whose inner fields contradict its framing: a broken or hostile daemon.
            context.Out.Flush();
            context.Error("control socket read failure or protocol error");
            return 1;
        }
        catch (OutOfMemoryException)
        {
            context.Error("out of memory");
            return 1;
        }
        catch (IOException e)
        {
            // stdout closed under us (e.g. `tinyctl list | head -1`).
            context.Err.Write($"{context.Program}: {e.Message}\n");
            return 1;
        }
    }
}
