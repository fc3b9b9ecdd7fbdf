namespace Tinyinit.Engine;

/// <summary>An engine snapshot that cannot be restored: malformed, truncated, or written by a
/// manager whose format this one cannot read. <see cref="ServiceSet.Restore"/> changes nothing
/// when it throws this.</summary>
public sealed class SnapshotFormatException(string message) : Exception(message);
