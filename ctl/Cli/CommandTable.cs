namespace Tinyinit.Ctl.Cli;

/// <summary>Every command word and its argument-count rule (ctl.md §1.2).</summary>
internal static class CommandTable
{
    public enum Arity { One, None, Three, OneWithFrom, OneOrMore, Signal }

    public static readonly IReadOnlyDictionary<string, Arity> Commands = new Dictionary<string, Arity>
    {
        ["start"] = Arity.One, ["stop"] = Arity.One, ["restart"] = Arity.One, ["wake"] = Arity.One,
        ["release"] = Arity.One, ["unpin"] = Arity.One, ["unload"] = Arity.One, ["reload"] = Arity.One,
        ["status"] = Arity.One, ["is-started"] = Arity.One, ["is-failed"] = Arity.One,
        ["trigger"] = Arity.One, ["untrigger"] = Arity.One, ["catlog"] = Arity.One,
        ["list"] = Arity.None, ["shutdown"] = Arity.None, ["getallenv"] = Arity.None,
        ["add-dep"] = Arity.Three, ["rm-dep"] = Arity.Three,
        ["enable"] = Arity.OneWithFrom, ["disable"] = Arity.OneWithFrom,
        ["setenv"] = Arity.OneOrMore, ["unsetenv"] = Arity.OneOrMore,
        ["signal"] = Arity.Signal,
    };

    /// <summary>Words that hand the rest of the command line to another program.</summary>
    public static readonly IReadOnlySet<string> Delegating = new HashSet<string>
    {
        "check", "monitor", "halt", "poweroff", "reboot", "soft-reboot",
    };

    public static readonly IReadOnlyDictionary<string, Protocol.Control.DependencyType> DependencyTypes =
        new Dictionary<string, Protocol.Control.DependencyType>
        {
            ["need"] = Protocol.Control.DependencyType.Regular,
            ["regular"] = Protocol.Control.DependencyType.Regular,
            ["waits-for"] = Protocol.Control.DependencyType.WaitsFor,
            ["milestone"] = Protocol.Control.DependencyType.Milestone,
        };
}
