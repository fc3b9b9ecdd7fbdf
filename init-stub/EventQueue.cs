using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// Events waiting for a manager that is not listening (dead, restarting, or not yet said
/// Hello): a fixed ring allocated once, so no exit status is lost across a manager restart and
/// PID 1 never allocates. When full, the newest event is dropped and counted; the count is
/// reported (<see cref="LinkMessage.EventsLost"/>) once the queue has been delivered.
/// </summary>
internal sealed class EventQueue
{
    public const int Capacity = 1024;

    private readonly LinkMessage[] _ring = new LinkMessage[Capacity];
    private int _head;

    public int Count { get; private set; }

    /// <summary>Events dropped since the last <see cref="TakeLost"/>.</summary>
    public int Lost { get; private set; }

    /// <summary>Queues the event; false (and counted as lost) when the ring is full.</summary>
    public bool Enqueue(LinkMessage message)
    {
        if (Count == Capacity)
        {
            if (Lost < int.MaxValue) Lost++;
            return false;
        }
        _ring[(_head + Count) % Capacity] = message;
        Count++;
        return true;
    }

    public LinkMessage Peek() => _ring[_head];

    /// <summary>The <paramref name="index"/>-th queued event, oldest first (0 ≤ index &lt; Count).</summary>
    public LinkMessage At(int index) => _ring[(_head + index) % Capacity];

    public void Drop()
    {
        _head = (_head + 1) % Capacity;
        Count--;
    }

    /// <summary>Counts events a previous image of init lost (after a re-exec).</summary>
    public void AddLost(int count)
    {
        if (count > 0) Lost = (int)Math.Min((long)Lost + count, int.MaxValue);
    }

    public int TakeLost()
    {
        var lost = Lost;
        Lost = 0;
        return lost;
    }
}
