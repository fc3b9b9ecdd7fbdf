using System.Globalization;
using System.Text;

namespace Tinyinit.Daemon.Notify;

/// <summary>
/// One sd_notify datagram: newline-separated <c>KEY=VALUE</c> lines. The keys tinyinit acts on
/// are kept; every other line (unknown keys such as RELOADING or FDSTORE, lines without '=',
/// values that do not parse, text that is not UTF-8) is ignored and counted.
/// </summary>
internal sealed class NotifyMessage
{
    /// <summary>Longest STATUS= text kept; a longer one is cut (at a character boundary).</summary>
    public const int MaxStatusLength = 1000;

    public bool Ready;
    public bool Stopping;
    public bool WatchdogPing;
    public bool WatchdogTrigger;
    public string? Status;
    public int? MainPid;
    public int IgnoredLines;

    public static NotifyMessage Parse(ReadOnlySpan<byte> datagram)
    {
        var message = new NotifyMessage();
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(datagram);
        }
        catch (DecoderFallbackException)
        {
            message.IgnoredLines++;
            return message;
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (!message.Take(line)) message.IgnoredLines++;
        }
        return message;
    }

    private bool Take(string line)
    {
        var equals = line.IndexOf('=');
        if (equals <= 0) return false;
        var value = line[(equals + 1)..];
        switch (line[..equals])
        {
            case "READY" when value == "1":
                Ready = true;
                return true;
            case "STOPPING" when value == "1":
                Stopping = true;
                return true;
            case "WATCHDOG" when value == "1":
                WatchdogPing = true;
                return true;
            case "WATCHDOG" when value == "trigger":
                WatchdogTrigger = true;
                return true;
            case "STATUS":
                Status = Shorten(Printable(value));
                return true;
            case "MAINPID" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1:
                MainPid = pid;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Control characters (escape sequences, NUL) become spaces: the text ends up on an administrator's terminal.</summary>
    private static string Printable(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        });

    private static string Shorten(string text)
    {
        if (text.Length <= MaxStatusLength) return text;
        var end = char.IsHighSurrogate(text[MaxStatusLength - 1]) ? MaxStatusLength - 1 : MaxStatusLength;
        return text[..end];
    }
}
