using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// Init's end of the current link. Events go straight to the socket only while the manager has
/// said Hello and nothing older is waiting; otherwise (or when the socket is full) they join the
/// <see cref="EventQueue"/>, which <see cref="Flush"/> drains in order. Sends never block:
/// PID 1 must not wait on a stuck manager.
/// </summary>
internal sealed unsafe class ManagerLink
{
    private readonly EventQueue _queue = new();

    public int Fd { get; private set; } = -1;

    /// <summary>The manager on this link has said Hello.</summary>
    public bool Ready { get; private set; }

    public bool HasBacklog => _queue.Count > 0 || _queue.Lost > 0;

    /// <summary>Something waits for POLLOUT: queued events, their lost count, or the CaughtUp after them.</summary>
    public bool WantsToSend => HasBacklog || _caughtUpPending;

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
    }

    public void MarkReady()
    {
        Ready = true;
        _caughtUpPending = true;
        Flush();
    }

    /// <summary>CaughtUp is owed: a restarted manager waits for it to tell "exit still queued" from "exit lost".</summary>
    private bool _caughtUpPending;

    public void Deliver(LinkMessage message)
    {
        if (Ready && !HasBacklog && TrySend(message)) return;
        if (!_queue.Enqueue(message) && _queue.Lost == 1)
            InitLog.Write("event queue full: dropping events until the manager reads them"u8);
    }

    /// <summary>Sends queued events (then the lost count) while the socket takes them.</summary>
    public void Flush()
    {
        while (Ready && _queue.Count > 0 && TrySend(_queue.Peek())) _queue.Drop();
        if (Ready && _queue.Count == 0 && _queue.Lost > 0 && TrySend(LinkMessage.EventsLost(_queue.Lost))) _queue.TakeLost();
        if (Ready && _caughtUpPending && !HasBacklog && TrySend(LinkMessage.CaughtUp())) _caughtUpPending = false;
    }

    /// <summary>One datagram from the manager: 1 message, 0 nothing to read, -1 end of link.</summary>
    public int Receive(out LinkMessage message, out bool malformed)
    {
        message = default;
        malformed = false;
        byte* buffer = stackalloc byte[LinkMessage.Size + 1];   // one spare byte exposes oversized datagrams
        var n = Libc.recv(Fd, buffer, LinkMessage.Size + 1, Libc.MSG_DONTWAIT);
        if (n > 0)
        {
            malformed = !LinkMessage.TryRead(new ReadOnlySpan<byte>(buffer, (int)n), out message);
            return 1;
        }
        if (n < 0 && Libc.Errno is Libc.EAGAIN or Libc.EINTR) return 0;
        return -1;
    }

    private bool TrySend(LinkMessage message)
    {
        if (Fd < 0) return false;
        byte* buffer = stackalloc byte[LinkMessage.Size];
        message.Write(new Span<byte>(buffer, LinkMessage.Size));
        return Libc.send(Fd, buffer, LinkMessage.Size, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL) == LinkMessage.Size;
    }
}
