namespace Tinyinit.Engine;

/// <summary>Levels of the engine's log messages, low to high (semantics.md §13.2).</summary>
public enum LogLevel { Debug, Info, Warn, Error }
