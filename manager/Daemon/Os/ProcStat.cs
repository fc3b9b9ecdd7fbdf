using System.Globalization;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// The two fields of <c>/proc/PID/stat</c> the manager relies on to tell whose a process is:
/// its parent and its start time (clock ticks since boot). A pid can be reused, a start time
/// together with the pid cannot.
/// </summary>
internal readonly record struct ProcStat(int ParentPid, ulong StartTime)
{
    /// <summary>Null when the process does not exist (or /proc cannot be read).</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>Fields after the command name, which may itself hold spaces and ')': state, ppid, …, starttime (field 22).</summary>
    public static ProcStat? Parse(string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int ParentIndex = 1, StartTimeIndex = 19;
        if (fields.Length <= StartTimeIndex) return null;
        if (!int.TryParse(fields[ParentIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)) return null;
        if (!ulong.TryParse(fields[StartTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        return new ProcStat(parent, start);
    }
}
