namespace Tinyinit.Protocol.Control;

/// <summary>Answer to QUERY_LOAD_MECH (control-protocol.md §6.9).</summary>
/// <param name="WorkingDirectory">The daemon's cwd ("" if unknown); relative service directories are relative to it.</param>
/// <param name="ServiceDirectories">Service directories in search order, as configured.</param>
public sealed record LoaderMechanism(string WorkingDirectory, IReadOnlyList<string> ServiceDirectories);
