using Microsoft.Extensions.Logging;
using Tinyinit.Daemon.Os;
using OptionLevel = Tinyinit.Engine.LogLevel;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// The manager's own log (semantics.md §13.2) and our own logger factory: Microsoft.Extensions.Logging's
/// <see cref="ILogger"/> for every component (messages are source-generated <c>[LoggerMessage]</c>
/// methods, one class per component), over sinks of our own, none of which blocks the event loop:
/// <list type="bullet">
/// <item>console (<see cref="ConsoleSink"/>): stdout, level <c>--console-level</c>, status lines;</item>
/// <item>main log: the <c>-l</c> file (<see cref="MainLogFileSink"/>) or else, for the system's
/// manager, syslog (<see cref="SyslogSink"/>, from the first started <c>starts-log</c> service on),
/// level <c>--log-level</c>; a user's manager has no main log without <c>-l</c>;</item>
/// <item>as system manager, until the main log is there, the kernel log (<see cref="KernelLogSink"/>).</item>
/// </list>
/// Only the abstractions package is linked: no Microsoft.Extensions.Logging LoggerFactory, options
/// or dependency injection (size and start-up of the NativeAOT binary).
/// </summary>
internal sealed class ManagerLog : IDisposable
{
    private const int DrainMs = 500;
    private readonly ConsoleSink _console;
    private readonly MainLogFileSink _file;
    private readonly SyslogSink _syslog;
    private readonly KernelLogSink _kernel;
    private readonly ILogSink[] _sinks;
    private readonly Dictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);
    private bool _systemManager;

    /// <param name="program">Each line starts with it (<c>tinyinitd: </c>, or <c>dinit: </c> for the drop-in personality); the syslog tag.</param>
    /// <param name="syslog">Whether the main log goes to syslog when there is no <c>-l</c> file (the system's manager).</param>
    public ManagerLog(int consoleFd, OptionLevel consoleLevel, OptionLevel mainLevel, bool statusLines, bool syslog, string program = "tinyinitd",
        string syslogPath = SyslogSink.DefaultPath, string kernelLogPath = KernelLogSink.DefaultPath)
    {
        var prefix = program + ": ";
        _console = new ConsoleSink(new NonBlockingOutput(consoleFd, prefix), prefix) { Threshold = LogThreshold.From(consoleLevel), StatusLines = statusLines };
        var main = LogThreshold.From(mainLevel);
        _file = new MainLogFileSink(prefix) { Threshold = main };
        _syslog = new SyslogSink(program, Environment.ProcessId, syslogPath) { Threshold = syslog ? main : LogThreshold.Off };
        _kernel = new KernelLogSink(prefix, kernelLogPath) { Threshold = main };
        _sinks = [_console, _file, _syslog, _kernel];
    }

    /// <summary>The logger of a component (one per category; <see cref="StatusLog.Category"/> is the status lines').</summary>
    public ILogger CreateLogger(string category)
    {
        if (!_loggers.TryGetValue(category, out var logger))
            _loggers.Add(category, logger = new FanOutLogger(_sinks, status: category == StatusLog.Category));
        return logger;
    }

    /// <summary>The system manager writes early messages to the kernel log until the main log is there.</summary>
    public bool SystemManager
    {
        get => _systemManager;
        set
        {
            _systemManager = value;
            UpdateKernelLog();
        }
    }

    /// <summary>While a service owns the console (semantics.md §14) console output is held back, then written.</summary>
    public bool ConsoleHeld
    {
        get => _console.Held;
        set => _console.Held = value;
    }

    /// <summary>Console lines dropped (and not yet reported) because the console did not take them.</summary>
    public long ConsoleDropped => _console.Output.Dropped;

    /// <summary>From now on, output that had to wait is written when the loop reports it writable.</summary>
    public void Attach(EventLoop loop)
    {
        _console.Output.Attach(loop);
        _file.Attach(loop);
        _syslog.Output.Attach(loop);
    }

    /// <summary>Opens the <c>-l</c> file (append, 0644): the main log from now on instead of syslog. Returns an errno, or 0.</summary>
    public int OpenFile(string path)
    {
        var errno = _file.Open(path);
        if (_file.IsOpen) _syslog.Threshold = LogThreshold.Off;
        UpdateKernelLog();
        return errno;
    }

    public bool FileOpen => _file.IsOpen;

    /// <summary>A <c>starts-log</c> service has started: syslog is there (unless a <c>-l</c> file is the main log).</summary>
    public void MainLogAvailable()
    {
        if (_file.IsOpen || _syslog.Output.On) return;
        _syslog.SwitchOn();
        UpdateKernelLog();
    }

    private void UpdateKernelLog() => _kernel.Active = _systemManager && !_file.IsOpen && !_syslog.Output.On;

    /// <summary>At exit: gives what is still buffered a bounded chance to be written.</summary>
    public void Drain()
    {
        _console.Output.Drain(DrainMs);
        _file.Drain(DrainMs);
        _syslog.Output.Drain();
    }

    public void Dispose()
    {
        _console.Output.Dispose();
        _file.Dispose();
        _syslog.Dispose();
        _kernel.Dispose();
    }
}
