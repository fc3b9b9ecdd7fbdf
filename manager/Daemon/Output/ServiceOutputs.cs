using Microsoft.Extensions.Logging;
using Tinyinit.Daemon.Link;
using Tinyinit.Daemon.Os;
using Tinyinit.Engine;
using Tinyinit.Loader;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Output;

/// <summary>The standard descriptors a launch gets from <see cref="ServiceOutputs"/>; -1: /dev/null.</summary>
internal readonly record struct LaunchOutput(int StdIn, int StdOut);

/// <summary>Outcome of <see cref="ServiceOutputs.ReopenLogFile"/>.</summary>
internal enum ReopenOutcome { Reopened, NotOpen, NotLoggingToFile, Failed }

/// <summary>
/// Every service's output pipe (<see cref="ServiceOutput"/>), by the producer's name: a
/// consumer (<c>consumer-of</c>) may start before its producer is even loaded, and the pipe
/// made for it then is the one the producer writes to. A pipe is made on the first launch that
/// needs it and kept until the service is unloaded (<see cref="Forget"/>).
/// </summary>
internal sealed class ServiceOutputs
{
    private readonly Dictionary<string, ServiceOutput> _outputs = new(StringComparer.Ordinal);
    private readonly EventLoop _loop;
    private readonly ILogger _log;

    public ServiceOutputs(EventLoop loop, ILogger log)
    {
        _loop = loop;
        _log = log;
    }

    /// <summary>Where pipe ends are parked (null: nowhere, e.g. no tinyinit).</summary>
    public ParkedDescriptors? Parking { get; set; }

    public IEnumerable<ServiceOutput> All => _outputs.Values;

    /// <summary>Counts pipes made and closed: the crash record (which lists them) is rewritten when it moves.</summary>
    public long Changes { get; private set; }

    public ServiceOutput? Find(string name) => _outputs.GetValueOrDefault(name);

    /// <summary>
    /// The descriptors for one launch (semantics.md §9.6 and §13.1). The manager keeps them: the
    /// caller maps them into the child and must not close them. False with the stage and errno
    /// when the launch must fail.
    /// </summary>
    public bool PrepareLaunch(string name, ServiceDescription d, CommandKind kind, out LaunchOutput fds, out string failedStage, out int errno)
    {
        fds = new LaunchOutput(-1, -1);
        failedStage = "";
        errno = 0;
        var stdin = -1;
        // A producer loaded since with another log-type keeps its output: this consumer reads nothing.
        if (kind == CommandKind.Start && d.ConsumerOf is { } other && Find(other) is { Kind: not OutputKind.Pipe })
            OutputLog.ProducerNotPiped(_log, name, other);
        else if (kind == CommandKind.Start && d.ConsumerOf is { } producer)
        {
            var pipe = Obtain(producer, OutputKind.Pipe, 0, out errno);
            if (pipe == null)
            {
                failedStage = "arranging file descriptors";
                return false;
            }
            stdin = pipe.ReadFd;
        }
        var kindOfOutput = d.LogType switch
        {
            LogType.Buffer => OutputKind.Buffer,
            LogType.Pipe => OutputKind.Pipe,
            LogType.File when !string.IsNullOrEmpty(d.LogFile) => OutputKind.File,
            _ => (OutputKind)0,
        };
        // A stop command's output goes to /dev/null for buffer and pipe (semantics.md §9.3, stop command); to the log file for file.
        if (kindOfOutput == 0 || (kind == CommandKind.Stop && kindOfOutput != OutputKind.File))
        {
            fds = new LaunchOutput(stdin, -1);
            return true;
        }
        var output = Obtain(name, kindOfOutput, d.LogBufferSize, out errno);
        if (output == null)
        {
            failedStage = "arranging file descriptors";
            return false;
        }
        if (kindOfOutput == OutputKind.Buffer && kind == CommandKind.Start)
        {
            output.MoveAvailable();          // what the last run wrote comes before the marker
            output.Buffer!.MarkRestart();
        }
        // Each start opens the file again: ownership and mode are re-applied (service-files.md §6.19).
        if (kindOfOutput == OutputKind.File && (kind == CommandKind.Start || output.FileFd < 0) && !OpenFile(output, d, out errno))
        {
            failedStage = "opening log file";
            return false;
        }
        fds = new LaunchOutput(stdin, output.WriteFd);
        return true;
    }

    /// <summary>CATLOG: the buffer (empty if nothing was captured yet); null when the service does not buffer its output.</summary>
    public byte[]? ReadBuffer(string name, ServiceDescription d, bool clear)
    {
        if (d.LogType != LogType.Buffer || d.Type is not (ServiceType.Process or ServiceType.BgProcess or ServiceType.Scripted)) return null;
        if (Find(name) is not { Kind: OutputKind.Buffer } output) return [];
        output.MoveAvailable();
        var bytes = output.Buffer!.Contents.ToArray();
        if (clear) output.Buffer.Clear();
        return bytes;
    }

    /// <summary>REOPENLOG: closes the service's log file and opens it again (after rotation), without touching its processes.</summary>
    public ReopenOutcome ReopenLogFile(string name, ServiceDescription d, out int errno)
    {
        errno = 0;
        if (d.LogType != LogType.File || string.IsNullOrEmpty(d.LogFile)) return ReopenOutcome.NotLoggingToFile;
        if (Find(name) is not { Kind: OutputKind.File } output) return ReopenOutcome.NotOpen;
        return OpenFile(output, d, out errno) ? ReopenOutcome.Reopened : ReopenOutcome.Failed;
    }

    /// <summary>The service was unloaded: its pipe goes, unless a loaded consumer still reads it.</summary>
    public void Forget(string name, Func<string, bool> hasLoadedConsumer)
    {
        if (_outputs.Remove(name, out var output))
        {
            if (output.Kind == OutputKind.Pipe && hasLoadedConsumer(name)) _outputs[name] = output;
            else
            {
                output.Dispose();
                Changes++;
            }
        }
    }

    /// <summary>Takes over a pipe a predecessor manager held.</summary>
    public void Adopt(string name, OutputKind kind, int readFd, int writeFd, int bufferSize, (int Read, int Write) keys, ReadOnlySpan<byte> buffered, int fileFd, string filePath)
    {
        if (_outputs.ContainsKey(name))
        {
            Libc.close(readFd);
            Libc.close(writeFd);
            if (fileFd >= 0) Libc.close(fileFd);
            return;
        }
        var output = ServiceOutput.Adopt(name, kind, readFd, writeFd, bufferSize, keys, _loop, Parking, _log);
        if (output == null)
        {
            if (fileFd >= 0) Libc.close(fileFd);
            return;
        }
        output.Buffer?.Append(buffered);
        if (fileFd >= 0) output.ReplaceFile(fileFd, filePath);
        _outputs[name] = output;
        Changes++;
    }

    private bool OpenFile(ServiceOutput output, ServiceDescription d, out int errno)
    {
        var fd = LogFileOpener.Open(d, out errno);
        if (fd < 0)
        {
            var path = LogFileOpener.PathOf(d);
            if (errno == Libc.ELOOP) OutputLog.LogFileIsSymlink(_log, output.Name, path);
            else OutputLog.LogFileNotOpened(_log, output.Name, path, Libc.StrError(errno));
            return false;
        }
        output.ReplaceFile(fd, LogFileOpener.PathOf(d));
        return true;
    }

    /// <summary>The service's pipe of this kind, made now if there is none (or if its kind changed by a reload while stopped).</summary>
    private ServiceOutput? Obtain(string name, OutputKind kind, int bufferSize, out int errno)
    {
        errno = 0;
        if (_outputs.TryGetValue(name, out var existing))
        {
            if (existing.Kind == kind)
            {
                existing.ResizeBuffer(bufferSize);
                return existing;
            }
            existing.Dispose();
            _outputs.Remove(name);
            Changes++;
        }
        var created = ServiceOutput.Create(name, kind, bufferSize, _loop, Parking, _log, out errno);
        if (created == null) return null;
        _outputs[name] = created;
        Changes++;
        return created;
    }
}
