using System.Diagnostics;
using Tinyinit.Daemon.HandOver;
using Tinyinit.Daemon.Os;
using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Daemon.Link;

/// <summary>
/// The manager's side of tinyinit's state memfd (fd 4): the crash record. After every loop turn
/// that changed something the manager writes its whole state there (CrashRecordLayout: two
/// checksummed slots, so a write cut short by <c>kill -9</c> leaves the previous record), and a
/// manager that tinyinit starts after a crash reads it back and carries on with the same
/// processes. The memfd outlives every manager because PID 1 holds it.
/// </summary>
internal sealed class CrashRecorder
{
    private readonly MemfdStore _store;
    private readonly CrashRecordLayout _layout;
    private readonly CrashRecordLayout.Content _content;
    private Dictionary<int, long> _startTicks = new();

    private CrashRecorder(int fd)
    {
        _store = new MemfdStore(fd);
        _layout = CrashRecordLayout.Open(_store, out _content);
    }

    /// <summary>The inherited memfd, or null when the manager does not run under tinyinit.</summary>
    public static CrashRecorder? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(InitLinkEnvironment.StateFdVariable) is not { } text ||
            !int.TryParse(text, out var fd) || fd <= 2 || Libc.fcntl(fd, Libc.F_GETFD, 0) < 0)
            return null;
        return Adopt(fd);
    }

    /// <summary>The memfd as a predecessor passed it across exec (or as tinyinit passed it).</summary>
    public static CrashRecorder Adopt(int fd)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC); // the manager's alone: services must not inherit it
        return new CrashRecorder(fd);
    }

    public int Fd => _store.Fd;

    /// <summary>The generation the previous manager image stored (0: none ran before).</summary>
    public long PreviousGeneration => (long)_layout.ManagerGeneration;

    public void StoreGeneration(long generation) => _layout.StoreManagerGeneration((ulong)generation);

    /// <summary>True when a predecessor left something in the file (readable or not).</summary>
    public bool HasContent => _content != CrashRecordLayout.Content.Empty;

    /// <summary>The predecessor's crash record, or null with why (no record at all: <paramref name="problem"/> null).</summary>
    public HandOverRecord? ReadRecord(out string? problem)
    {
        problem = null;
        if (_content == CrashRecordLayout.Content.Empty) return null;
        if (_content == CrashRecordLayout.Content.Foreign)
        {
            problem = "the state file holds an older manager's format";
            return null;
        }
        var body = _layout.ReadNewest(out var slotProblem);
        if (body == null)
        {
            problem = slotProblem == "no crash record" ? null : slotProblem;
            return null;
        }
        var record = HandOverRecord.Decode(body, out var error);
        if (record == null) problem = error;
        return record;
    }

    /// <summary>
    /// Processes an older manager recorded in the previous format (lines of service, pid, start
    /// time): stopped by the caller when the record cannot be used.
    /// </summary>
    public IReadOnlyList<StateEntry> ReadLegacyEntries()
    {
        if (_content != CrashRecordLayout.Content.Foreign) return [];
        var buffer = new byte[1 << 20];
        var n = _store.ReadAt(0, buffer);
        return n > 0 ? StateRecord.Decode(buffer.AsSpan(0, n)) : [];
    }

    /// <summary>Writes the record; its <see cref="HandOverRecord.ProcessStarts"/> are filled in here from <paramref name="pids"/>.</summary>
    /// <returns>Microseconds the write took, or -1 when it failed (the previous record then stays).</returns>
    public long Write(HandOverRecord record, IEnumerable<int> pids)
    {
        var started = Stopwatch.GetTimestamp();
        var seen = new Dictionary<int, long>();
        foreach (var pid in pids)
        {
            // A pid's start time never changes: /proc is read once per process, not once per write.
            if (!_startTicks.TryGetValue(pid, out var ticks)) ticks = ProcessStartTicks(pid);
            seen[pid] = ticks;
            record.ProcessStarts.Add((pid, ticks));
        }
        _startTicks = seen;
        var ok = _layout.Write(record.Encode());
        return ok ? (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds : -1;
    }

    /// <summary>Field 22 of /proc/PID/stat, the process's start time; 0 if gone.</summary>
    public static long ProcessStartTicks(int pid) => (long)(ProcStat.Read(pid)?.StartTime ?? 0);

    /// <summary>
    /// Stops what a previous manager left running when its record cannot be used: each process
    /// group that is still the recorded process (pid AND start time: a reused pid is never hit).
    /// </summary>
    public static IReadOnlyList<StateEntry> StopLeftovers(IEnumerable<StateEntry> entries)
    {
        var stopped = new List<StateEntry>();
        foreach (var entry in entries)
        {
            if (entry.StartTicks <= 0 || ProcessStartTicks(entry.Pid) != entry.StartTicks) continue; // gone, or the pid was reused
            var group = Libc.getpgid(entry.Pid);
            if (group > 1 && group != Libc.getpgid(0)) Libc.kill(-group, Libc.SIGTERM);
            else Libc.kill(entry.Pid, Libc.SIGTERM);
            stopped.Add(entry);
        }
        return stopped;
    }
}
