namespace Tinyinit.Engine;

/// <summary>What <see cref="ServiceSet.Restore"/> did besides restoring.</summary>
/// <param name="FormatVersion">The version of the manager that wrote the snapshot.</param>
/// <param name="StandIns">Services restored with a stand-in description (Snapshot.md, "Missing
/// descriptions"): the callback supplied none, or one of another type for a service that is not
/// STOPPED. They keep their state and processes and can be stopped; the daemon should log them
/// and may reload them once their description is available.</param>
/// <param name="AdoptedPids">Pids the engine waits for again (also reported one by one through
/// <see cref="ISystem.ProcessAdopted"/>).</param>
public sealed record RestoreResult(int FormatVersion, IReadOnlyList<ServiceRecord> StandIns, int AdoptedPids);
