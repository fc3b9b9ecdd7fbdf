using System.Text;
using Tinyinit.Engine;
using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The manager's own log: a console sink (its stdout; /dev/console when it is the system
/// manager) and an optional main log file (<c>-l</c>). Written with write(2), never Console,
/// through <see cref="NonBlockingOutput"/>: a log line must neither block the event loop nor
/// take the manager down, so what cannot be written is buffered, then dropped and counted.
/// </summary>
internal sealed class DaemonLog
{
    private readonly string _prefix;
    private readonly NonBlockingOutput _console;
    private NonBlockingOutput? _file;
    private EventLoop? _loop;

    /// <param name="program">Each line starts with it (<c>tinyinitd: </c>, or <c>dinit: </c> for the drop-in personality).</param>
    public DaemonLog(int consoleFd, LogLevel consoleLevel, LogLevel fileLevel, bool statusLines, string program = "tinyinitd")
    {
        _prefix = program + ": ";
        _console = new NonBlockingOutput(consoleFd, _prefix);
        ConsoleLevel = consoleLevel;
        FileLevel = fileLevel;
        StatusLines = statusLines;
    }

    public LogLevel ConsoleLevel { get; set; }
    public LogLevel FileLevel { get; set; }
    /// <summary>Whether <c>[  OK  ] name</c> lines go to the console (off with <c>-q</c>).</summary>
    public bool StatusLines { get; set; }

    /// <summary>From now on, output that had to wait is written when the loop reports it writable.</summary>
    public void Attach(EventLoop loop)
    {
        _loop = loop;
        _console.Attach(loop);
        _file?.Attach(loop);
    }

    /// <summary>At exit: gives what is still buffered a bounded chance to be written.</summary>
    public void Drain()
    {
        _console.Drain(500);
        _file?.Drain(500);
    }

    /// <summary>Opens the <c>-l</c> file (append, 0644). Returns an errno, or 0.</summary>
    public int OpenFile(string path)
    {
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NOCTTY, Convert.ToInt32("644", 8));
        if (fd < 0) return Libc.Errno;
        _file?.Dispose();
        _file = new NonBlockingOutput(fd, _prefix, ownsFd: true);
        if (_loop != null) _file.Attach(_loop);
        return 0;
    }

    public void Info(string text) => Write(LogLevel.Info, text);
    public void Warn(string text) => Write(LogLevel.Warn, text);
    public void Error(string text) => Write(LogLevel.Error, text);

    public void Write(LogLevel level, string text)
    {
        var line = Encoding.UTF8.GetBytes(_prefix + text + "\n");
        if (level >= ConsoleLevel && ConsoleLevel != LogLevel.None && !ConsoleSuspended) _console.Write(line);
        if (_file != null && level >= FileLevel && FileLevel != LogLevel.None) _file.Write(line);
    }

    /// <summary>A line for the main log (<c>-l</c> file) only: the console shows status lines instead.</summary>
    public void MainLogOnly(LogLevel level, string text)
    {
        if (_file != null && level >= FileLevel && FileLevel != LogLevel.None) _file.Write(Encoding.UTF8.GetBytes(_prefix + text + "\n"));
    }

    /// <summary>While a service owns the console (semantics.md §14) console output is held back.</summary>
    public bool ConsoleSuspended { get; set; }

    /// <summary>A service status line for the console (semantics.md §2.4), e.g. <c>[  OK  ] web</c>.</summary>
    public void Status(string tag, string service)
    {
        if (StatusLines && !ConsoleSuspended) _console.Write(Encoding.UTF8.GetBytes($"[{tag}] {service}\n"));
    }
}
