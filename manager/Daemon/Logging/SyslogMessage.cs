using System.Text;
using Microsoft.Extensions.Logging;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// One syslog datagram as the C library's syslog(3) sends it to <c>/dev/log</c>, the RFC 3164
/// form every local syslog daemon reads: <c>&lt;PRI&gt;Mmm dd hh:mm:ss TAG[PID]: text</c>, PRI =
/// facility daemon (3) × 8 + severity. The hostname is left out as syslog(3) leaves it out: the
/// local daemon adds its own. The timestamp is the time the entry was logged (local time), so
/// entries kept until the syslog daemon was up still say when they happened.
/// </summary>
internal static class SyslogMessage
{
    public const int FacilityDaemon = 3;
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Severity (RFC 3164 table 2) of a level; info is "notice" as in the reference (semantics.md §13.2).</summary>
    public static int Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 5,
        _ => 7,
    };

    public static int Priority(LogLevel level) => FacilityDaemon * 8 + Severity(level);

    public static byte[] Format(LogLevel level, string tag, int pid, string text) => Format(level, Libc.LocalTimeNow(), tag, pid, text);

    public static byte[] Format(LogLevel level, Tm time, string tag, int pid, string text)
    {
        var day = time.DayOfMonth < 10 ? $" {time.DayOfMonth}" : Two(time.DayOfMonth);
        var header = $"<{Priority(level)}>{Months[Math.Clamp(time.Month, 0, 11)]} {day} {Two(time.Hour)}:{Two(time.Minute)}:{Two(time.Second)} {tag}[{pid}]: ";
        return Encoding.UTF8.GetBytes(header + text);
    }

    private static string Two(int value) => string.Create(2, value, (span, v) =>
    {
        span[0] = (char)('0' + v / 10 % 10);
        span[1] = (char)('0' + v % 10);
    });
}
