namespace Tinyinit.Engine;

/// <summary>What the system knows about a pid read from a bgprocess PID file (semantics.md §9.4).</summary>
public enum PidState
{
    /// <summary>A child of the manager (it is a sub-reaper) that is still running: supervised.</summary>
    RunningChild,
    /// <summary>A child of the manager that has already exited; its wait status is reported.</summary>
    ExitedChild,
    /// <summary>Not our child but it exists (kill(pid,0) succeeds or EPERM): started, untracked.</summary>
    Unsupervisable,
    /// <summary>No such process: the PID file is not valid.</summary>
    Invalid,
}
