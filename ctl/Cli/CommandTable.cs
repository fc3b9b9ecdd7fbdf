using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Cli;

/// <summary>
/// Every command word and its argument-count rule (ctl.md §1.2). Switches rather than
/// dictionaries: a static table is built in a class constructor on every run, and tinyctl's
/// start-up is most of its wall time (issue 8).
/// </summary>
internal static class CommandTable
{
    public enum Arity { One, None, Three, OneWithFrom, OneOrMore, Signal, NoneOrOne }

    /// <summary>The argument rule of a command word; null if it is not one.</summary>
    public static Arity? ArityOf(string command) => command switch
    {
        "start" or "stop" or "restart" or "wake" or "release" or "unpin" or "unload" or "reload" or
        "is-started" or "is-failed" or "trigger" or "untrigger" or "catlog" or "reopen-log" => Arity.One,
        // tinyinit extension: no service name asks for the manager's own status.
        "status" => Arity.NoneOrOne,
        "list" or "shutdown" or "getallenv" or "restart-manager" or "reexec-init" => Arity.None,
        "add-dep" or "rm-dep" => Arity.Three,
        "enable" or "disable" => Arity.OneWithFrom,
        "setenv" or "unsetenv" => Arity.OneOrMore,
        "signal" => Arity.Signal,
        _ => null,
    };

    /// <summary>Words that hand the rest of the command line to another program.</summary>
    public static bool IsDelegating(string word) =>
        word is "check" or "monitor" or "halt" or "poweroff" or "reboot" or "soft-reboot";

    /// <summary>The dependency type an add-dep/rm-dep type word names; null if none.</summary>
    public static DependencyType? DependencyTypeOf(string word) => word switch
    {
        "need" or "regular" => DependencyType.Regular,
        "waits-for" => DependencyType.WaitsFor,
        "milestone" => DependencyType.Milestone,
        _ => null,
    };
}
