using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Daemon.Link;

/// <summary>
/// The manager's side of tinyinit's state hand-off memfd: the live service processes are
/// rewritten into it whenever they change, so that a manager started after a crash knows
/// what its predecessor left running.
///
/// What a successor does with it today: it cannot yet adopt a running process into the engine,
/// so it stops each leftover process group (identified by pid AND start time, so a reused pid
/// is never hit) before starting services afresh. That keeps a manager crash from doubling
/// every service; keeping the same processes across a restart is the next step.
/// </summary>
internal sealed unsafe class StateHandOff
{
    private readonly int _fd;
    private ulong _generation;
    private Dictionary<int, long> _startTicks = new();

    private StateHandOff(int fd) => _fd = fd;

    /// <summary>The inherited memfd, or null when the manager does not run under tinyinit.</summary>
    public static StateHandOff? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(InitLinkEnvironment.StateFdVariable) is not { } text ||
            !int.TryParse(text, out var fd) || fd <= 2 || Libc.fcntl(fd, Libc.F_GETFD, 0) < 0)
            return null;
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC); // the manager's alone: services must not inherit it
        return new StateHandOff(fd);
    }

    public int Fd => _fd;

    /// <summary>The memfd a predecessor manager passed across a planned re-exec (its leftovers are ours: nothing is stopped).</summary>
    public static StateHandOff Adopt(int fd)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        return new StateHandOff(fd);
    }

    public IReadOnlyList<StateEntry> Read()
    {
        var buffer = new byte[1 << 20];
        nint n;
        fixed (byte* p = buffer) n = Libc.pread(_fd, p, buffer.Length, 0);
        return n > 0 ? StateRecord.Decode(buffer.AsSpan(0, (int)n)) : [];
    }

    /// <returns>False when the record could not be written (it is then left empty, never half-written).</returns>
    public bool Write(IEnumerable<(string Service, int Pid)> processes)
    {
        var entries = new List<StateEntry>();
        var seen = new Dictionary<int, long>();
        foreach (var (service, pid) in processes)
        {
            // A pid's start time never changes: read /proc once per process, not once per write.
            if (!_startTicks.TryGetValue(pid, out var ticks)) ticks = ProcessStartTicks(pid);
            if (ticks <= 0) continue;
            seen[pid] = ticks;
            entries.Add(new StateEntry(service, pid, ticks));
        }
        _startTicks = seen;
        var record = StateRecord.Encode(entries, ++_generation);
        fixed (byte* p = record)
        {
            if (Libc.pwrite(_fd, p, record.Length, 0) != record.Length)
            {
                Libc.ftruncate(_fd, 0);
                return false;
            }
        }
        Libc.ftruncate(_fd, record.Length);
        return true;
    }

    /// <summary>Field 22 of /proc/PID/stat (after the parenthesised command name, which may hold spaces); 0 if gone.</summary>
    public static long ProcessStartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && long.TryParse(fields[19], out var ticks) ? ticks : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Stops what a previous manager left running (see the class comment). Returns the
    /// entries that were still alive and were signalled.
    /// </summary>
    public IReadOnlyList<StateEntry> StopLeftovers()
    {
        var stopped = new List<StateEntry>();
        foreach (var entry in Read())
        {
            if (ProcessStartTicks(entry.Pid) != entry.StartTicks) continue; // gone, or the pid was reused
            var group = Libc.getpgid(entry.Pid);
            if (group > 1 && group != Libc.getpgid(0)) Libc.kill(-group, Libc.SIGTERM);
            else Libc.kill(entry.Pid, Libc.SIGTERM);
            stopped.Add(entry);
        }
        Write([]);
        return stopped;
    }
}
