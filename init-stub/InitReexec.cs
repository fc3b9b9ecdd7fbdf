using System.Runtime.InteropServices;
using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// <c>tinyctl reexec-init [--exec PATH]</c>: PID 1 re-executes itself (or PATH) in place. The
/// process stays PID 1, so its children (the manager, adopted orphans) stay its children and
/// exits not yet reaped stay pending; blocked and pending signals survive execve. What the new
/// image must be told is written into a memfd made at start-up and passed with the hidden
/// option <c>--resume-fd=N</c>: the manager's pid, the link descriptor (and whether the manager
/// said Hello), the state hand-off memfd, the events still queued for the manager and the
/// descriptors the manager parked (key and number). These descriptors lose close-on-exec just
/// for the exec; the new image sets it again, takes them over and starts no manager. If the exec
/// fails nothing was lost: the flags are restored and PID 1 carries on. Everything is allocated
/// at start-up; the exec itself allocates nothing.
/// </summary>
internal sealed unsafe class InitReexec
{
    public const string ResumeOption = "--resume-fd";
    private const int Magic = 0x54495253, HeaderInts = 8;
    private const int ParkedEntrySize = 8;
    private const int RecordMax = HeaderInts * 4 + EventQueue.Capacity * LinkMessage.Size + ParkedFdTable.PreferredCapacity * ParkedEntrySize;

    private readonly int _fd;
    private readonly byte** _argv;
    private readonly byte* _self;
    private readonly byte* _record = (byte*)NativeMemory.Alloc(RecordMax);

    /// <param name="self">tinyinit's executable.</param>
    /// <param name="arguments">tinyinit's arguments, without any --resume-fd, to give the new image.</param>
    public InitReexec(string self, IReadOnlyList<string> arguments)
    {
        fixed (byte* name = "tinyinit-resume\0"u8) _fd = Libc.memfd_create(name, Libc.MFD_CLOEXEC);
        if (_fd >= 0 && _fd < ManagerLauncher.FirstPrivateFd)
        {
            var high = Libc.fcntl(_fd, Libc.F_DUPFD_CLOEXEC, ManagerLauncher.FirstPrivateFd);
            if (high >= 0) { Libc.close(_fd); _fd = high; }
        }
        _argv = NativeStrings.PermanentVector([self, $"{ResumeOption}={_fd}", .. arguments]);
        _self = _argv[0];
    }

    /// <summary>Execs <paramref name="path"/> (null: tinyinit's own executable); returns only if that failed.</summary>
    public void Execute(byte* path, ManagerLink link, int managerPid, int stateFd)
    {
        if (_fd < 0)
        {
            InitLog.Write("reexec-init: no resume descriptor (memfd_create failed at start-up); carrying on"u8);
            return;
        }
        var length = WriteRecord(link, managerPid, stateFd);
        if (Libc.pwrite(_fd, _record, length, 0) != length || Libc.ftruncate(_fd, length) != 0)
        {
            InitLog.Write("reexec-init: cannot write the resume record (errno "u8, Libc.Errno, "); carrying on"u8);
            return;
        }
        _argv[0] = path == null ? _self : path;
        InitLog.Write("re-executing "u8, new ReadOnlySpan<byte>(_argv[0], CStringLength(_argv[0])));
        SetCloseOnExec(link, stateFd, false);
        Libc.execv(_argv[0], _argv);
        var errno = Libc.Errno;
        SetCloseOnExec(link, stateFd, true);
        _argv[0] = _self;
        InitLog.Write("reexec-init: cannot execute (errno "u8, errno, "); carrying on"u8);
    }

    private void SetCloseOnExec(ManagerLink link, int stateFd, bool on)
    {
        var flag = on ? Libc.FD_CLOEXEC : 0;
        Libc.fcntl(_fd, Libc.F_SETFD, flag);
        if (link.Fd >= 0) Libc.fcntl(link.Fd, Libc.F_SETFD, flag);
        if (stateFd >= 0) Libc.fcntl(stateFd, Libc.F_SETFD, flag);
        for (var slot = 0; slot < link.Parked.Used; slot++)
            if (link.Parked.TryGetSlot(slot, out _, out var fd)) Libc.fcntl(fd, Libc.F_SETFD, flag);
    }

    /// <summary>magic, manager pid, link fd, ready (1) | CaughtUp owed (2), state fd, lost count, event count, parked count; then the events, then (key, fd) pairs.</summary>
    private int WriteRecord(ManagerLink link, int managerPid, int stateFd)
    {
        var ints = (int*)_record;
        var queue = link.Queue;
        ints[0] = Magic;
        ints[1] = managerPid;
        ints[2] = link.Fd;
        ints[3] = (link.Ready ? 1 : 0) | (link.CaughtUpPending ? 2 : 0);
        ints[4] = stateFd;
        ints[5] = queue.Lost;
        ints[6] = queue.Count;
        for (var i = 0; i < queue.Count; i++)
            queue.At(i).Write(new Span<byte>(_record + HeaderInts * 4 + i * LinkMessage.Size, LinkMessage.Size));
        var parked = (int*)(_record + HeaderInts * 4 + queue.Count * LinkMessage.Size);
        var count = 0;
        for (var slot = 0; slot < link.Parked.Used && count < ParkedFdTable.PreferredCapacity; slot++)
        {
            if (!link.Parked.TryGetSlot(slot, out var key, out var fd)) continue;
            parked[2 * count] = key;
            parked[2 * count + 1] = fd;
            count++;
        }
        ints[7] = count;
        return HeaderInts * 4 + queue.Count * LinkMessage.Size + count * ParkedEntrySize;
    }

    private static int CStringLength(byte* s)
    {
        var n = 0;
        while (s[n] != 0) n++;
        return n;
    }

    /// <summary>The new image's side (start-up, may allocate): reads and closes the record; null if it is unusable.</summary>
    public static ResumeState? Read(int fd)
    {
        var record = new byte[RecordMax];
        nint n;
        fixed (byte* p = record) n = Libc.pread(fd, p, RecordMax, 0);
        Libc.close(fd);
        if (n < HeaderInts * 4) return null;
        var ints = MemoryMarshal.Cast<byte, int>(record.AsSpan(0, HeaderInts * 4));
        int eventCount = ints[6], parkedCount = ints[7];
        if (ints[0] != Magic || eventCount is < 0 or > EventQueue.Capacity || parkedCount is < 0 or > ParkedFdTable.PreferredCapacity ||
            n != HeaderInts * 4 + eventCount * LinkMessage.Size + parkedCount * ParkedEntrySize) return null;
        var events = new List<LinkMessage>(eventCount);
        for (var i = 0; i < eventCount; i++)
            if (LinkMessage.TryRead(record.AsSpan(HeaderInts * 4 + i * LinkMessage.Size, LinkMessage.Size), out var message)) events.Add(message);
        var pairs = MemoryMarshal.Cast<byte, int>(record.AsSpan(HeaderInts * 4 + eventCount * LinkMessage.Size, parkedCount * ParkedEntrySize));
        var parked = new List<(int Key, int Fd)>(parkedCount);
        for (var i = 0; i < parkedCount; i++) parked.Add((pairs[2 * i], pairs[2 * i + 1]));
        return new ResumeState(ints[1], ints[2], (ints[3] & 1) != 0, (ints[3] & 2) != 0, ints[4], ints[5], events, parked);
    }
}

/// <summary>What a re-executed init takes over from its previous image.</summary>
internal sealed record ResumeState(int ManagerPid, int LinkFd, bool LinkReady, bool CaughtUpPending, int StateFd, int Lost,
    IReadOnlyList<LinkMessage> Events, IReadOnlyList<(int Key, int Fd)> Parked);
