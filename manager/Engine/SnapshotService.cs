using Tinyinit.Loader;

namespace Tinyinit.Engine;

/// <summary>
/// What a snapshot says about one service, handed to the description callback of
/// <see cref="ServiceSet.Restore"/> so the daemon can load the description again.
/// </summary>
/// <param name="Name">Full service name.</param>
/// <param name="SourcePath">The description file the predecessor loaded (may be empty).</param>
/// <param name="Type">The type the service had; a running service keeps it.</param>
/// <param name="State">Its state at the snapshot.</param>
/// <param name="Reloaded">The description was replaced at run time (reload): the file on disk
/// is what was reloaded last, unless it changed since.</param>
/// <param name="DescriptionStamp">Whatever the daemon attached at serialize time to recognise
/// the loaded file (e.g. inode, size, mtime, hash); empty when it attached nothing.</param>
public sealed record SnapshotService(
    string Name, string SourcePath, ServiceType Type, ServiceState State, bool Reloaded, byte[] DescriptionStamp);
