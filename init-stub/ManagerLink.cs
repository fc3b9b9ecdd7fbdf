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
    private readonly byte* _path = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(LinkMessage.MaxPathLength + 1);

    public int Fd { get; private set; } = -1;

    /// <summary>The manager on this link has said Hello.</summary>
    public bool Ready { get; private set; }

    public bool HasBacklog => _queue.Count > 0 || _queue.Lost > 0;

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
    }

    public void MarkReady()
    {
        Ready = true;
        Flush();
    }

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
    }

    /// <summary>One datagram from the manager: 1 message, 0 nothing to read, -1 end of link.</summary>
    public int Receive(out LinkMessage message, out bool malformed)
    {
        message = default;
        malformed = false;
        byte* buffer = stackalloc byte[LinkMessage.MaxDatagram + 1];   // one spare byte exposes oversized datagrams
        var n = Libc.recv(Fd, buffer, LinkMessage.MaxDatagram + 1, Libc.MSG_DONTWAIT);
        if (n > 0)
        {
            malformed = !LinkMessage.TryRead(new ReadOnlySpan<byte>(buffer, (int)n), out message);
            if (!malformed && message.Kind == LinkMessageKind.ReexecInit) KeepPath(buffer + LinkMessage.Size, message.PathLength);
            return 1;
        }
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
    public void Resume(int fd, bool ready)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        Fd = fd;
        Ready = ready;
    }

    private bool TrySend(LinkMessage message)
    {
        if (Fd < 0) return false;
        byte* buffer = stackalloc byte[LinkMessage.Size];
        message.Write(new Span<byte>(buffer, LinkMessage.Size));
        return Libc.send(Fd, buffer, LinkMessage.Size, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL) == LinkMessage.Size;
    }
}
