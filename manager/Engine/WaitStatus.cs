namespace Tinyinit.Engine;

/// <summary>Decoding of raw wait(2) statuses (Linux encoding).</summary>
public static class WaitStatus
{
    public static bool Exited(int status) => (status & 0x7f) == 0;
    public static int ExitCode(int status) => (status >> 8) & 0xff;
    public static bool Signalled(int status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
    public static int TermSignal(int status) => status & 0x7f;

    public static int FromExitCode(int code) => (code & 0xff) << 8;
    public static int FromSignal(int signal) => signal & 0x7f;

    public static bool ExitedCleanly(int status) => Exited(status) && ExitCode(status) == 0;

    /// <summary>"Failure" for <c>restart = on-failure</c> (semantics.md §8.1): non-zero exit, or a
    /// signal other than HUP, INT, USR1, USR2, TERM. Reference quirk not copied: a process that
    /// never ran counts as success here (its status is 0), because no script can observe it.</summary>
    public static bool IsFailure(int status)
    {
        if (Exited(status)) return ExitCode(status) != 0;
        return TermSignal(status) is not (Signals.Hup or Signals.Int or Signals.Usr1 or Signals.Usr2 or Signals.Term);
    }
}

/// <summary>Linux signal numbers the engine sends or recognises.</summary>
public static class Signals
{
    public const int Hup = 1, Int = 2, Kill = 9, Usr1 = 10, Usr2 = 12, Term = 15;
}
