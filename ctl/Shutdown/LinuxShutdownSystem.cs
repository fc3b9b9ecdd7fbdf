using Tinyinit.Ctl.Os;
using Tinyinit.Native;

namespace Tinyinit.Ctl.Shutdown;

/// <summary>The real <see cref="IShutdownSystem"/> (Linux).</summary>
internal sealed unsafe class LinuxShutdownSystem : IShutdownSystem
{
    public void BlockAllSignals()
    {
        var all = SigSet.All();
        Libc.sigprocmask(Libc.SIG_BLOCK, &all, null);
    }

    public void RedirectOutputToConsole()
    {
        var fd = Libc.open("/dev/console", Libc.O_WRONLY | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (fd < 0) return;
        Libc.dup2(fd, 1);
        if (fd != 1) Libc.close(fd);
    }

    public void SignalAllProcesses(int signal) => Libc.kill(-1, signal);

    public void Sleep(TimeSpan duration) => Thread.Sleep(duration);

    public bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    public int Run(string path, params string[] arguments)
    {
        var exit = ChildProcess.Run([path, .. arguments]);
        return exit < 0 ? -1 : exit;
    }

    public void Sync() => Libc.sync();

    public int Reboot(int command) => Libc.reboot((uint)command) == 0 ? 0 : Libc.Errno;

    public void Hang()
    {
        while (true) Thread.Sleep(Timeout.Infinite);
    }
}
