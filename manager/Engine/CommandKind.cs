namespace Tinyinit.Engine;

/// <summary>Which of a service's commands <see cref="ISystem.Spawn"/> launches.</summary>
public enum CommandKind { Start, Stop }
