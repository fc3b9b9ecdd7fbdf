namespace Tinyinit.Engine;

/// <summary>
/// The outcome of a launch the engine has not acted on yet: <see cref="Pid"/> &gt; 0 for a
/// process service whose confirmed exec makes it STARTED, 0 for an exec-stage failure
/// (<see cref="Stage"/>, <see cref="Errno"/>). <see cref="Turn"/> is the
/// <see cref="ServiceSet.CompleteLaunches"/> call that may act on it, at the earliest.
/// </summary>
internal readonly record struct PendingLaunch(ServiceRecord Service, CommandKind Kind, int Pid, string Stage, int Errno, int Turn)
{
    public bool Failed => Pid == 0;
}
