using System.Text;
using Tinyinit.Daemon.Interop;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The manager's own log: a console sink (its stdout; /dev/console when it is the system
/// manager) and an optional main log file (<c>-l</c>). Written with write(2), never Console:
/// a log line must not be able to take the manager down, so a failed write is dropped and
/// counted, and the next successful write reports how many were lost.
/// </summary>
internal sealed unsafe class DaemonLog
{
    private const string Prefix = "tinyinitd: ";
    private readonly int _consoleFd;
    private int _fileFd = -1;
    private long _dropped;

    public DaemonLog(int consoleFd, LogLevel consoleLevel, LogLevel fileLevel, bool statusLines)
    {
        _consoleFd = consoleFd;
        ConsoleLevel = consoleLevel;
        FileLevel = fileLevel;
        StatusLines = statusLines;
    }

    public LogLevel ConsoleLevel { get; set; }
    public LogLevel FileLevel { get; set; }
    /// <summary>Whether <c>[  OK  ] name</c> lines go to the console (off with <c>-q</c>).</summary>
    public bool StatusLines { get; set; }

    /// <summary>Opens the <c>-l</c> file (append, 0644). Returns an errno, or 0.</summary>
    public int OpenFile(string path)
    {
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NOCTTY, Convert.ToInt32("644", 8));
        if (fd < 0) return Libc.Errno;
        if (_fileFd >= 0) Libc.close(_fileFd);
        _fileFd = fd;
        return 0;
    }

    public void Info(string text) => Write(LogLevel.Info, text);
    public void Warn(string text) => Write(LogLevel.Warn, text);
    public void Error(string text) => Write(LogLevel.Error, text);

    public void Write(LogLevel level, string text)
    {
        var line = Encoding.UTF8.GetBytes(Prefix + text + "\n");
        if (level >= ConsoleLevel && ConsoleLevel != LogLevel.None && !ConsoleSuspended) Emit(_consoleFd, line);
        if (_fileFd >= 0 && level >= FileLevel && FileLevel != LogLevel.None) Emit(_fileFd, line);
    }

    /// <summary>A line for the main log (<c>-l</c> file) only: the console shows status lines instead.</summary>
    public void MainLogOnly(LogLevel level, string text)
    {
        if (_fileFd >= 0 && level >= FileLevel && FileLevel != LogLevel.None) Emit(_fileFd, Encoding.UTF8.GetBytes(Prefix + text + "\n"));
    }

    /// <summary>While a service owns the console (semantics.md §14) console output is held back.</summary>
    public bool ConsoleSuspended { get; set; }

    /// <summary>A service status line for the console (semantics.md §2.4), e.g. <c>[  OK  ] web</c>.</summary>
    public void Status(string tag, string service)
    {
        if (StatusLines && !ConsoleSuspended) Emit(_consoleFd, Encoding.UTF8.GetBytes($"[{tag}] {service}\n"));
    }

    private void Emit(int fd, byte[] line)
    {
        if (_dropped > 0 && WriteAll(fd, Encoding.UTF8.GetBytes($"{Prefix}*** log message discarded due to full buffer ***\n")))
            _dropped = 0;
        if (!WriteAll(fd, line)) _dropped++;
    }

    private static bool WriteAll(int fd, byte[] data)
    {
        fixed (byte* p = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var n = Libc.write(fd, p + done, data.Length - done);
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                if (n <= 0) return false;
                done += (int)n;
            }
        }
        return true;
    }
}
