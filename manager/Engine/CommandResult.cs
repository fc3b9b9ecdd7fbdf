namespace Tinyinit.Engine;

/// <summary>
/// Outcome of a control command, one per protocol reply (control-protocol.md §6.4):
/// ACK, NAK, ALREADYSS, PINNEDSTARTED, PINNEDSTOPPED, SHUTTINGDOWN, DEPENDENTS.
/// </summary>
public enum CommandResult { Ack, Nak, AlreadyInState, PinnedStarted, PinnedStopped, ShuttingDown, Dependents }
