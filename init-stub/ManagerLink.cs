using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// Init's end of the current link. Events go straight to the socket only while the manager has
/// said Hello and nothing older is waiting; otherwise (or when the socket is full) they join the
/// <see cref="EventQueue"/>, which <see cref="Flush"/> drains in order. Sends never block:
/// PID 1 must not wait on a stuck manager. After each Hello the parked descriptors are handed
/// back first (then an end-of-hand-back marker), before any queued event.
/// </summary>
internal sealed unsafe class ManagerLink
{
    private readonly EventQueue _queue = new();
    private readonly ParkedFdTable _parked = ParkedFdTable.Create();
    private bool _handBackEndPending;
    private bool _reportedFull;
    private readonly byte* _path = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(LinkMessage.MaxPathLength + 1);

    public int Fd { get; private set; } = -1;

    /// <summary>The manager on this link has said Hello.</summary>
    public bool Ready { get; private set; }

    public bool HasBacklog => _handBackEndPending || _queue.Count > 0 || _queue.Lost > 0;

    public ParkedFdTable Parked => _parked;

    /// <summary>Something waits for POLLOUT: queued events, their lost count, or the CaughtUp after them.</summary>
    public bool WantsToSend => HasBacklog || _caughtUpPending;

    /// <summary>Events not delivered yet (handed to a re-executed image of init).</summary>
    public EventQueue Queue => _queue;

    /// <summary>The path of the last ReexecInit received, NUL-terminated; null for "init's own executable".</summary>
    public byte* ReexecPath { get; private set; }

    public void Attach(int fd)
    {
        Close();
        Fd = fd;
    }

    public void Close()
    {
        if (Fd >= 0) Libc.close(Fd);
        Fd = -1;
        Ready = false;
        _handBackEndPending = false;
    }

    public void MarkReady()
    {
        Ready = true;
        _caughtUpPending = true;
        _parked.BeginHandBack();
        _handBackEndPending = true;
        Flush();
    }

    /// <summary>CaughtUp is owed: a restarted manager waits for it to tell "exit still queued" from "exit lost".</summary>
    private bool _caughtUpPending;

    public bool CaughtUpPending => _caughtUpPending;

    public void Deliver(LinkMessage message)
    {
        if (Ready && !HasBacklog && TrySend(message)) return;
        if (!_queue.Enqueue(message) && _queue.Lost == 1)
            InitLog.Write("event queue full: dropping events until the manager reads them"u8);
    }

    /// <summary>Sends queued events (then the lost count) while the socket takes them.</summary>
    public void Flush()
    {
        if (!FlushHandBack()) return;
        while (Ready && _queue.Count > 0 && TrySend(_queue.Peek())) _queue.Drop();
        if (Ready && _queue.Count == 0 && _queue.Lost > 0 && TrySend(LinkMessage.EventsLost(_queue.Lost))) _queue.TakeLost();
        if (Ready && _caughtUpPending && !HasBacklog && TrySend(LinkMessage.CaughtUp())) _caughtUpPending = false;
    }

    /// <summary>Parked descriptors not yet handed back, then the end marker; false while some wait for room.</summary>
    private bool FlushHandBack()
    {
        if (!Ready) return false;
        while (_parked.PeekHandBack(out var key, out var fd))
        {
            if (!TrySend(LinkMessage.ParkedFd(key), fd)) return false;
            _parked.HandedBack();
        }
        if (_handBackEndPending && !TrySend(LinkMessage.ParkedFd(0))) return false;
        _handBackEndPending = false;
        return true;
    }

    /// <summary>ParkFd and ReleaseFd from the manager; a refused park closes the descriptor and tells the manager.</summary>
    public void HandleParking(LinkMessage message, int fd)
    {
        if (message.Kind == LinkMessageKind.ReleaseFd)
        {
            if (_parked.Release(message.Key)) _reportedFull = false;
            return;
        }
        var outcome = _parked.Park(message.Key, fd);
        if (outcome == ParkOutcome.Parked) return;
        Libc.close(fd);
        if (outcome == ParkOutcome.DuplicateKey) InitLog.Write("refusing to park a descriptor under key "u8, message.Key, " (already in use)"u8);
        else if (!_reportedFull) InitLog.Write("parked-descriptor table full ("u8, _parked.Capacity, " slots): refusing descriptors until some are released"u8);
        _reportedFull |= outcome == ParkOutcome.TableFull;
        Deliver(LinkMessage.ReleaseFd(message.Key));
    }

    /// <summary>
    /// One datagram from the manager: 1 message, 0 nothing to read, -1 end of link. A descriptor
    /// comes with it (in <paramref name="fd"/>, else -1) only when the message is well-formed and
    /// a ParkFd carrying exactly one; every other descriptor that arrived is closed at once.
    /// </summary>
    public int Receive(out LinkMessage message, out bool malformed, out int fd)
    {
        message = default;
        malformed = false;
        fd = -1;
        byte* buffer = stackalloc byte[LinkMessage.MaxDatagram + 1];   // one spare byte exposes oversized datagrams
        int* fds = stackalloc int[Libc.MaxPassedFds];
        var n = Libc.ReceiveWithFds(Fd, buffer, LinkMessage.MaxDatagram + 1, fds, out var fdCount, out var truncated, out _, Libc.MSG_DONTWAIT);
        if (n > 0)
        {
            malformed = !LinkMessage.TryRead(new ReadOnlySpan<byte>(buffer, (int)n), out message);
            var expected = !malformed && message.Kind == LinkMessageKind.ParkFd ? 1 : 0;   // the only kind init takes one with
            if (fdCount != expected || truncated) malformed = true;
            if (malformed) for (var i = 0; i < fdCount; i++) Libc.close(fds[i]);
            else if (expected == 1) fd = fds[0];
            if (!malformed && message.Kind == LinkMessageKind.ReexecInit) KeepPath(buffer + LinkMessage.Size, message.PathLength);
            return 1;
        }
        for (var i = 0; i < fdCount; i++) Libc.close(fds[i]);
        if (n < 0 && Libc.Errno is Libc.EAGAIN or Libc.EINTR) return 0;
        return -1;
    }

    private void KeepPath(byte* path, int length)
    {
        new ReadOnlySpan<byte>(path, length).CopyTo(new Span<byte>(_path, length));
        _path[length] = 0;
        ReexecPath = length == 0 ? null : _path;
    }

    /// <summary>A re-executed init takes over the link of its previous image (<see cref="InitReexec"/>).</summary>
    public void Resume(int fd, bool ready, bool caughtUpPending)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        Fd = fd;
        Ready = ready;
        _caughtUpPending = caughtUpPending;
    }

    private bool TrySend(LinkMessage message, int attachedFd = -1)
    {
        if (Fd < 0) return false;
        byte* buffer = stackalloc byte[LinkMessage.Size];
        message.Write(new Span<byte>(buffer, LinkMessage.Size));
        return Libc.SendWithFd(Fd, buffer, LinkMessage.Size, attachedFd, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL) == LinkMessage.Size;
    }
}
