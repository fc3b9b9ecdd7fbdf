namespace Tinyinit.Engine;

/// <summary>
/// Log levels, low to high (semantics.md §13.2; ctl.md §11 names). <see cref="None"/> is only a
/// threshold: a destination set to it takes nothing.
/// </summary>
public enum LogLevel { Debug, Info, Warn, Error, None }
