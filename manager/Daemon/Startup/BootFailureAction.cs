namespace Tinyinit.Daemon.Startup;

/// <summary>
/// What a system manager does when every service has stopped with no shutdown asked for (boot
/// failure, semantics.md §17.6) and nobody is there to answer a prompt: <c>--boot-failure</c>,
/// else <c>$TINYINIT_BOOT_FAILURE</c> (a kernel command-line word), else halt.
/// </summary>
internal enum BootFailureAction { Halt, PowerOff, Reboot, Recovery, Continue }

internal static class BootFailureActions
{
    public const string Variable = "TINYINIT_BOOT_FAILURE";
    public const string Names = "'halt', 'poweroff', 'reboot', 'recovery', 'continue'";

    public static bool TryParse(string? text, out BootFailureAction action)
    {
        (var ok, action) = text switch
        {
            "halt" => (true, BootFailureAction.Halt),
            "poweroff" => (true, BootFailureAction.PowerOff),
            "reboot" => (true, BootFailureAction.Reboot),
            "recovery" => (true, BootFailureAction.Recovery),
            "continue" => (true, BootFailureAction.Continue),
            _ => (false, BootFailureAction.Halt),
        };
        return ok;
    }
}
