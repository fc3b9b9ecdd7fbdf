using Microsoft.Extensions.Logging;
using Tinyinit.Daemon.Link;
using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Output;

/// <summary>Where a producer's output pipe leads (semantics.md §13.1).</summary>
internal enum OutputKind { Buffer = 1, File = 2, Pipe = 3 }

/// <summary>
/// One service's output pipe, created by the manager and held open at both ends for as long as
/// the service is loaded, so its processes come and go without losing output:
/// <list type="bullet">
/// <item><see cref="OutputKind.Pipe"/>: the read end is the consumer's stdin; the manager never
/// reads it. Holding both ends means a producer never gets EPIPE while its consumer is down
/// and a consumer never sees end-of-file while its producer is down. Beyond the pipe's
/// capacity (64 KiB, the Linux default) a producer's write blocks until the consumer reads:
/// nothing is dropped.</item>
/// <item><see cref="OutputKind.Buffer"/> and <see cref="OutputKind.File"/>: the manager reads
/// the (non-blocking) read end on the event loop into the <see cref="ServiceLogBuffer"/>, or
/// appends it to the log file it holds (which is what lets it reopen the file for log rotation
/// without restarting the service).</item>
/// </list>
/// Both ends are parked with tinyinit, so a manager killed with -9 loses the pipe and its
/// unread contents neither: the next manager takes them back.
/// </summary>
internal sealed class ServiceOutput : IEventSource, IDisposable
{
    /// <summary>At most this much is moved per wake-up, so a service that writes without pause cannot starve the loop.</summary>
    private const int ReadPerWakeUp = 64 * 1024;
    private const int ChunkSize = 16 * 1024;

    private readonly EventLoop _loop;
    private readonly ParkedDescriptors? _parking;
    private readonly ILogger _log;
    private int _readFd, _writeFd, _fileFd = -1;
    private bool _watched;
    private long _fileBytesLost;

    private ServiceOutput(string name, OutputKind kind, int readFd, int writeFd, EventLoop loop, ParkedDescriptors? parking, ILogger log)
    {
        Name = name;
        Kind = kind;
        _readFd = readFd;
        _writeFd = writeFd;
        _loop = loop;
        _parking = parking;
        _log = log;
    }

    public string Name { get; }
    public OutputKind Kind { get; }
    public int ReadFd => _readFd;
    public int WriteFd => _writeFd;
    public int FileFd => _fileFd;
    public int ReadKey { get; private set; } = -1;
    public int WriteKey { get; private set; } = -1;
    /// <summary>The captured output (<see cref="OutputKind.Buffer"/> only).</summary>
    public ServiceLogBuffer? Buffer { get; private set; }
    /// <summary>The path the log file was opened with (<see cref="OutputKind.File"/>).</summary>
    public string FilePath { get; private set; } = "";

    /// <summary>A new pipe; null with <paramref name="errno"/> when one cannot be made.</summary>
    public static ServiceOutput? Create(string name, OutputKind kind, int bufferSize, EventLoop loop, ParkedDescriptors? parking, ILogger log, out int errno)
    {
        if (!FileDescriptors.TryPipe(out var readFd, out var writeFd, out errno, nonBlockingRead: kind != OutputKind.Pipe)) return null;
        (readFd, writeFd) = (AboveStandard(readFd), AboveStandard(writeFd));
        var output = new ServiceOutput(name, kind, readFd, writeFd, loop, parking, log);
        if (!output.Start(bufferSize, parkKeys: null, out errno))
        {
            output.Dispose();
            return null;
        }
        return output;
    }

    /// <summary>A pipe that survived a hand-over (by number) or a crash (parked, keys given).</summary>
    public static ServiceOutput? Adopt(string name, OutputKind kind, int readFd, int writeFd, int bufferSize, (int Read, int Write) keys,
        EventLoop loop, ParkedDescriptors? parking, ILogger log)
    {
        var output = new ServiceOutput(name, kind, readFd, writeFd, loop, parking, log);
        if (kind != OutputKind.Pipe) FileDescriptors.SetNonBlocking(readFd);
        if (!output.Start(bufferSize, keys, out var errno))
        {
            OutputLog.PipeNotWatched(log, name, Libc.StrError(errno));
            output.Dispose();
            return null;
        }
        return output;
    }

    /// <summary>
    /// A manager started with a standard descriptor closed would get 0-2 for a pipe end, and a
    /// launch maps its ends onto 0-2 in order: moved up, no mapping can overwrite another's source.
    /// </summary>
    private static int AboveStandard(int fd)
    {
        if (fd > 2) return fd;
        var moved = Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, 3);
        if (moved < 0) return fd;
        Libc.close(fd);
        return moved;
    }

    private bool Start(int bufferSize, (int Read, int Write)? parkKeys, out int errno)
    {
        errno = 0;
        if (Kind == OutputKind.Buffer) Buffer = new ServiceLogBuffer(bufferSize);
        if (Kind != OutputKind.Pipe)
        {
            try
            {
                _loop.Add(_readFd, Libc.EPOLLIN, this);
                _watched = true;
            }
            catch (OsException e)
            {
                errno = e.Errno;
                return false;
            }
        }
        if (parkKeys is { } keys) (ReadKey, WriteKey) = keys;
        else if (_parking != null) (ReadKey, WriteKey) = (_parking.Park(_readFd), _parking.Park(_writeFd));
        return true;
    }

    /// <summary>log-buffer-size changed by a reload: a buffer of the new size, holding the latest output that fits.</summary>
    public void ResizeBuffer(int size)
    {
        if (Buffer == null || Buffer.Capacity == size) return;
        MoveAvailable();
        var resized = new ServiceLogBuffer(size);
        resized.Append(Buffer.Contents);
        Buffer = resized;
    }

    /// <summary>Takes a new log file descriptor, after moving what is in the pipe to the old one (with none open, it waits in the pipe for the new one).</summary>
    public void ReplaceFile(int fd, string path)
    {
        if (_fileFd >= 0) MoveAvailable();
        FileDescriptors.Close(ref _fileFd);
        _fileFd = fd;
        FilePath = path;
        if (_fileBytesLost > 0) OutputLog.FileBytesLost(_log, Name, _fileBytesLost);
        _fileBytesLost = 0;
    }

    public void OnReady(uint events) => MoveAvailable();

    /// <summary>Reads what the pipe holds now (up to the per-wake-up bound) into the buffer or the file.</summary>
    public unsafe void MoveAvailable()
    {
        if (!_watched) return;
        byte* chunk = stackalloc byte[ChunkSize];
        for (var moved = 0; moved < ReadPerWakeUp;)
        {
            var n = (int)Libc.read(_readFd, chunk, ChunkSize);
            if (n <= 0) return;   // EAGAIN: drained (end-of-file cannot happen: we hold the write end)
            moved += n;
            var bytes = new ReadOnlySpan<byte>(chunk, n);
            if (Kind == OutputKind.Buffer) Buffer!.Append(bytes);
            else WriteToFile(bytes);
        }
    }

    private unsafe void WriteToFile(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            var done = 0;
            while (done < bytes.Length && _fileFd >= 0)
            {
                var n = (int)Libc.write(_fileFd, p + done, bytes.Length - done);
                if (n <= 0) break;
                done += n;
            }
            // A full disk or a FIFO nobody reads must not stall every other service: drop and count.
            if (done < bytes.Length)
            {
                if (_fileBytesLost == 0) OutputLog.LogFileNotWritable(_log, Name, FilePath, _fileFd < 0 ? "not open" : Libc.StrError(Libc.Errno));
                _fileBytesLost += bytes.Length - done;
            }
        }
    }

    public void Dispose()
    {
        if (_watched) _loop.Remove(_readFd);
        _watched = false;
        if (_parking != null)
        {
            _parking.Release(ReadKey);
            _parking.Release(WriteKey);
        }
        ReadKey = WriteKey = -1;
        FileDescriptors.Close(ref _readFd);
        FileDescriptors.Close(ref _writeFd);
        FileDescriptors.Close(ref _fileFd);
    }
}
