namespace Tinyinit.Ctl.Shutdown;

/// <summary>The operating-system actions of the kernel-level shutdown, behind one interface so tests can fake them.</summary>
internal interface IShutdownSystem
{
    void BlockAllSignals();

    /// <summary>Points standard output at /dev/console (no-op if it cannot be opened).</summary>
    void RedirectOutputToConsole();

    void SignalAllProcesses(int signal);

    void Sleep(TimeSpan duration);

    /// <summary>True if the file exists and has any execute bit.</summary>
    bool IsExecutable(string path);

    /// <summary>Runs a program with inherited output and waits; its exit status, or -1 if it could not run.</summary>
    int Run(string path, params string[] arguments);

    void Sync();

    /// <summary>reboot(2); returns only on failure, with the errno.</summary>
    int Reboot(int command);

    /// <summary>Never returns (a failed reboot leaves nothing sensible to do).</summary>
    void Hang();
}
