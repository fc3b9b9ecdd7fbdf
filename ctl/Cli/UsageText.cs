namespace Tinyinit.Ctl.Cli;

/// <summary>The usage text (ctl.md §1.4): byte-exact under the name dinitctl; tinyctl adds its extensions and the exit codes.</summary>
internal static class UsageText
{
    private const string Reference = """
        %P%:   control Dinit services

        Usage:
            %P% [options] status <service-name>
            %P% [options] is-started <service-name>
            %P% [options] is-failed <service-name>
            %P% [options] start [options] <service-name>
            %P% [options] stop [options] <service-name>
            %P% [options] restart [options] <service-name>
            %P% [options] wake [options] <service-name>
            %P% [options] release [options] <service-name>
            %P% [options] unpin <service-name>
            %P% [options] unload <service-name>
            %P% [options] reload <service-name>
            %P% [options] list
            %P% [options] shutdown
            %P% [options] add-dep <type> <from-service> <to-service>
            %P% [options] rm-dep <type> <from-service> <to-service>
            %P% [options] enable [--from <from-service>] <to-service>
            %P% [options] disable [--from <from-service>] <to-service>
            %P% [options] trigger <service-name>
            %P% [options] untrigger <service-name>
            %P% [options] setenv [name[=value] ...]
            %P% [options] unsetenv [name ...]
            %P% [options] catlog <service-name>
            %P% [options] signal <signal> <service-name>

        Note: An activated service continues running when its dependents stop.

        General options:
          --help           : show this help
          -s, --system     : control system daemon (default if run as root)
          -u, --user       : control user daemon
          --quiet          : suppress output (except errors)
          --socket-path <path>, -p <path>
                           : specify socket for communication with daemon
          --use-passed-cfd : use the socket file descriptor identified by the DINIT_CS_FD
                             environment variable to communicate with the dinit daemon
          -o, --offline    : do not contact running dinit daemon
          -d, --services-dir <dir>
                           : specify directory for service definitions (offline mode)

        Command options:
          --no-wait        : don't wait for service startup/shutdown to complete
          --pin            : pin the service in the requested state
          --force          : force stop even if dependents will be affected
          -l, --list       : (signal) list supported signals

        """;

    private const string Extensions = """

        tinyinit extensions:
            %P% [options] getallenv
            %P% [options] restart-manager [--exec <path>]
            %P% [options] status                      (the manager's own status)
            %P% [options] reexec-init [--exec <path>]
            %P% [options] reopen-log <service-name>     (log rotation: reopen its log file)
            %P% check [options] <service-name> ...      (also as dinit-check)
            %P% monitor [options] -c <command> <name> ... (also as dinit-monitor)
            %P% halt|poweroff|reboot|soft-reboot [options] (also under those names)
          --json           : machine-readable output (list, status, is-started, is-failed,
                             catlog, getallenv); see tinyctl(8) for the fields

        Exit status:
          0  success (is-started: service started; is-failed: service failed)
          1  failure: bad command line, no daemon, service not loaded, refused
             request, failed start, protocol error (is-started/is-failed: condition false)

        """;

    public static string For(string program)
    {
        var text = Reference.Replace("%P%", program).Replace("\r\n", "\n");
        if (program == "dinitctl") return text;
        text = text.Replace("control Dinit services", "control tinyinit services").Replace("the dinit daemon", "the service manager")
            .Replace("running dinit daemon", "the running service manager");
        return text + Extensions.Replace("%P%", program).Replace("\r\n", "\n");
    }
}
