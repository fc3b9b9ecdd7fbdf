using Tinyinit.Loader;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// <c>inittab-id</c> / <c>inittab-line</c> (semantics.md §17.9): a process service's process
/// gets an INIT_PROCESS login record (id, line, pid, time) when it is launched, and the record
/// becomes DEAD_PROCESS when it exits, with the pid found in the existing entry. Each record is
/// also appended to wtmp, as sysvinit does, so `last` shows the session. Tools such as getty and
/// login find their own entry by this id or line.
///
/// The processes are remembered by pid, so the exit is recorded whichever manager image sees it
/// (a successor re-registers what it adopts). Failures are not reported: a machine without a
/// utmp file (a container) simply gets no records, as the reference's does.
/// </summary>
internal sealed unsafe class UtmpRecords
{
    private readonly Dictionary<int, (string Id, string Line)> _recorded = [];

    private static bool Wanted(ServiceDescription d) =>
        d.Type == ServiceType.Process && (!string.IsNullOrEmpty(d.InittabId) || !string.IsNullOrEmpty(d.InittabLine));

    public void ProcessLaunched(ServiceDescription d, int pid)
    {
        if (!Wanted(d)) return;
        var id = d.InittabId ?? "";
        var line = d.InittabLine ?? "";
        _recorded[pid] = (id, line);
        var record = NewRecord(Libc.INIT_PROCESS, id, line);
        record.Pid = pid;
        Libc.setutxent();
        Libc.pututxline(&record);
        Libc.endutxent();
        Libc.updwtmpx(Libc.WtmpPath, &record);
    }

    /// <summary>A process a predecessor manager launched (its record exists already).</summary>
    public void ProcessAdopted(ServiceDescription d, int pid)
    {
        if (Wanted(d)) _recorded[pid] = (d.InittabId ?? "", d.InittabLine ?? "");
    }

    public void ProcessEnded(int pid)
    {
        if (!_recorded.Remove(pid, out var entry)) return;
        var record = NewRecord(Libc.DEAD_PROCESS, entry.Id, entry.Line);
        Libc.setutxent();
        var existing = entry.Id.Length > 0 ? Libc.getutxid(&record) : Libc.getutxline(&record);
        record.Pid = existing != null ? existing->Pid : pid;
        Libc.pututxline(&record);
        Libc.endutxent();
        Libc.updwtmpx(Libc.WtmpPath, &record);
    }

    /// <summary>
    /// The boot record (§17.9), once the root file system is writable: appended to wtmp, then
    /// utmp is emptied of the previous boot's entries and gets it too. False when utmp could not
    /// be written (the next starts-rwfs start tries again). User and line as other inits write
    /// them ("reboot", "~"), which is what <c>last</c> and <c>who -b</c> look for.
    /// </summary>
    public static bool LogBoot()
    {
        var record = NewRecord(Libc.BOOT_TIME, "~~", "~");
        Utmpx.Fill(record.User, 32, "reboot");
        Libc.updwtmpx(Libc.WtmpPath, &record);
        var truncated = Libc.open(Libc.UtmpPath, Libc.O_WRONLY | Libc.O_TRUNC | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (truncated >= 0) Libc.close(truncated);
        Libc.setutxent();
        var written = Libc.pututxline(&record) != null;
        Libc.endutxent();
        return written;
    }

    private static Utmpx NewRecord(short type, string id, string line)
    {
        var record = new Utmpx { Type = type };
        Utmpx.Fill(record.Id, Utmpx.IdSize, id);
        Utmpx.Fill(record.Line, Utmpx.LineSize, line);
        var now = DateTimeOffset.UtcNow;
        record.Seconds = (int)now.ToUnixTimeSeconds();
        record.Microseconds = (int)(now.ToUnixTimeMilliseconds() % 1000 * 1000);
        return record;
    }
}
