using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>What became of a descriptor the manager asked init to park.</summary>
internal enum ParkOutcome { Parked, TableFull, DuplicateKey }

/// <summary>
/// Descriptors the manager parks with init (protocol/InitLink/README.md, "Parked
/// descriptors"): duplicates of the ends a manager crash would otherwise close — a readiness
/// pipe whose byte is still unread, an output pipe — kept under the manager's key until it
/// releases them, and handed back to every new manager after its Hello. A fixed table
/// mapped at start-up (PID 1 never allocates afterwards), sized by the descriptor limit.
/// When it is full a park is refused: the descriptor is closed and the manager told.
///
/// The table is an anonymous mapping rather than managed arrays: its pages cost memory only
/// once slots are written, and no scan goes past the highest slot ever used, so an init whose
/// manager parks a few descriptors stays as small as one that parks none.
/// </summary>
internal sealed unsafe class ParkedFdTable
{
    /// <summary>Slots wanted: room for a readiness and an output pipe of a couple of thousand services.</summary>
    public const int PreferredCapacity = 4096;
    /// <summary>Descriptors init keeps for itself (stdio, link, signalfd, state memfd, runtime) below the limit.</summary>
    public const int ReservedFds = 64;

    private readonly int* _keys;      // 0: free slot
    private readonly int* _fds;
    private readonly byte* _handBack; // 1: still to hand back to the current manager
    private int _used;                // slots at or above this index were never written
    private int _handBackCursor;

    public ParkedFdTable(int capacity)
    {
        capacity = Math.Max(capacity, 0);
        var bytes = (nuint)capacity * (sizeof(int) * 2 + 1);
        var memory = capacity == 0 ? (void*)Libc.MAP_FAILED : Libc.mmap(null, bytes, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (memory == (void*)Libc.MAP_FAILED)
        {
            if (capacity > 0) InitLog.Write("no parked-descriptor table (mmap failed, errno "u8, Libc.Errno, "): every park is refused"u8);
            capacity = 0;
            memory = null;
        }
        Capacity = capacity;
        _keys = (int*)memory;
        _fds = _keys + capacity;
        _handBack = (byte*)(_fds + capacity);
        _handBackCursor = 0;
    }

    /// <summary>Raises the descriptor limit as far as the table needs and sizes the table to what the limit allows.</summary>
    public static ParkedFdTable Create()
    {
        var limit = FdLimit.Raise(PreferredCapacity + ReservedFds);
        return new ParkedFdTable(Math.Min(PreferredCapacity, limit - ReservedFds));
    }

    public int Capacity { get; }
    public int Count { get; private set; }

    /// <summary>Takes ownership of <paramref name="fd"/> under <paramref name="key"/>; on refusal the caller still owns it.</summary>
    public ParkOutcome Park(int key, int fd)
    {
        var free = -1;
        for (var i = 0; i < _used; i++)
        {
            if (_keys[i] == key) return ParkOutcome.DuplicateKey;
            if (_keys[i] == 0 && free < 0) free = i;
        }
        if (free < 0 && _used < Capacity) free = _used++;
        if (free < 0) return ParkOutcome.TableFull;
        _keys[free] = key;
        _fds[free] = fd;
        _handBack[free] = 0;      // parked by the current manager: it knows the key
        Count++;
        return ParkOutcome.Parked;
    }

    /// <summary>Closes the descriptor parked under <paramref name="key"/>; false if there is none.</summary>
    public bool Release(int key)
    {
        for (var i = 0; i < _used; i++)
        {
            if (_keys[i] != key) continue;
            Libc.close(_fds[i]);
            _keys[i] = 0;
            _fds[i] = -1;
            _handBack[i] = 0;
            Count--;
            return true;
        }
        return false;
    }

    /// <summary>Slots ever written: every parked descriptor is in a slot below this.</summary>
    public int Used => _used;

    /// <summary>The descriptor in <paramref name="slot"/> (0 ≤ slot &lt; <see cref="Used"/>); false for a free slot.</summary>
    public bool TryGetSlot(int slot, out int key, out int fd)
    {
        key = _keys[slot];
        fd = _fds[slot];
        return key != 0;
    }

    /// <summary>A new manager said Hello: every descriptor parked now is to be handed back to it.</summary>
    public void BeginHandBack()
    {
        for (var i = 0; i < _used; i++) _handBack[i] = _keys[i] != 0 ? (byte)1 : (byte)0;
        _handBackCursor = 0;
    }

    /// <summary>The next descriptor still to hand back, without taking it off the list.</summary>
    public bool PeekHandBack(out int key, out int fd)
    {
        while (_handBackCursor < _used && _handBack[_handBackCursor] == 0) _handBackCursor++;
        var found = _handBackCursor < _used;
        key = found ? _keys[_handBackCursor] : 0;
        fd = found ? _fds[_handBackCursor] : -1;
        return found;
    }

    /// <summary>The descriptor of the last <see cref="PeekHandBack"/> was sent (init keeps its own copy).</summary>
    public void HandedBack()
    {
        if (_handBackCursor < _used) _handBack[_handBackCursor++] = 0;
    }

    public bool HandBackPending => PeekHandBack(out _, out _);

    /// <summary>The end of the system (or a soft reboot): nothing parked outlives init's own image.</summary>
    public void CloseAll()
    {
        for (var i = 0; i < _used; i++)
        {
            if (_keys[i] == 0) continue;
            Libc.close(_fds[i]);
            _keys[i] = 0;
            _fds[i] = -1;
            _handBack[i] = 0;
        }
        Count = 0;
    }
}
