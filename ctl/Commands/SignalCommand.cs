using System.Globalization;
using Tinyinit.Ctl.Client;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>signal SIG SERVICE and signal --list (ctl.md §10).</summary>
internal static class SignalCommand
{
    private static readonly (string Name, int Number)[] Signals =
    [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("KILL", 9), ("USR1", 10), ("USR2", 12), ("TERM", 15), ("CONT", 18), ("STOP", 19),
    ];

    public static int Run(CtlContext context)
    {
        if (context.Options.ListSignals)
        {
            var text = $"{context.Program}: The following signal names are supported:\n";
            foreach (var (name, number) in Signals) text += $"{context.Program}: {name,-5}-> {number}\n";
            context.Out.Write(text);
            return 0;
        }
        var signalText = context.Options.Arguments[0];
        if (Parse(signalText) is not { } signal) throw new CtlException($"'{signalText}' is not a valid signal name/number");
        using var connection = context.Connect();
        TriggerCommand.RequireVersion(connection, 2);
        var record = ServiceLoading.Load(connection, context.Program, context.Options.Arguments[1]);
        connection.Send(ControlRequests.Signal(signal, record.Handle));
        return (ReplyCode)connection.ReadReply()[0] switch
        {
            ReplyCode.Ack => 0,
            ReplyCode.SignalNoPid => throw new CtlException("could not get valid PID of service; service is not process-based or is in wrong state."),
            ReplyCode.SignalBadSignal => throw new CtlException("provided signal was invalid."),
            ReplyCode.SignalKillError => throw new CtlException("failed sending signal to service."),
            _ => throw new CtlException("protocol error."),
        };
    }

    /// <summary>A name from the table (with or without SIG, as the service-file table) or a number parsed like C++ stoi.</summary>
    public static int? Parse(string text)
    {
        foreach (var (name, number) in Signals)
            if (text == name) return number;
        var trimmed = text.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
        return int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
