namespace Tinyinit.Daemon.Core;

/// <summary>
/// Gives memory back once a burst of work is over. Loading thousands of descriptions or
/// launching thousands of processes leaves far more garbage than live data; the GC collects
/// it but keeps the freed space committed and the survivors scattered, so the manager's
/// resident size stayed at its peak (measured: 2.2 KiB per loaded service instead of ~1).
/// One compacting, decommitting collection when the loop has been quiet for a moment after
/// such a burst returns the pages. Quiet, so a client issuing commands back to back never
/// waits for it; a burst, so an idle manager never pays for it.
/// </summary>
internal sealed class IdleHeapTrim
{
    /// <summary>How long the loop must have had nothing to do before trimming.</summary>
    public const int QuietMilliseconds = 200;

    /// <summary>Allocation since the last trim that makes one worthwhile.</summary>
    private const long BurstBytes = 1 << 20;

    // Start-up counts as a burst: the first quiet moment trims what start-up left behind.
    private long _allocatedAtLastTrim = -BurstBytes;

    /// <summary>True when enough was allocated since the last trim (the manager is single-threaded).</summary>
    public bool Due => GC.GetAllocatedBytesForCurrentThread() - _allocatedAtLastTrim >= BurstBytes;

    public void Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtLastTrim = GC.GetAllocatedBytesForCurrentThread();
    }
}
