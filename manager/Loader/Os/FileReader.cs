using System.Text;
using Tinyinit.Native;

namespace Tinyinit.Loader;

/// <summary>The outcome of reading one file: its text, or the failing step and errno.</summary>
/// <param name="Text">Contents (UTF-8, invalid bytes replaced); null on failure.</param>
/// <param name="Errno">errno of the failure; 0 on success.</param>
/// <param name="OpenFailed">True when open(2) failed; false when reading an opened file failed.</param>
internal readonly record struct FileReadResult(string? Text, int Errno, bool OpenFailed)
{
    public string ErrorText => FileReader.StrError(Errno);
}

/// <summary>
/// Reads description, include and environment files with open/read so the exact errno is
/// known (the spec's messages carry strerror texts), and never blocks: files are opened with
/// O_NONBLOCK, so a FIFO reads as empty instead of stalling the manager.
/// </summary>
internal static unsafe class FileReader
{

    /// <summary>Larger files are refused (EFBIG): a description is a few kilobytes.</summary>
    public const int MaxFileSize = 64 << 20;

    [ThreadStatic] private static byte[]? t_buffer;

    public static string StrError(int errno) => Libc.StrError(errno);

    public static FileReadResult ReadAll(string path, Func<string, bool>? isSpecialFile)
    {
        if (path.Length == 0) return new FileReadResult(null, Libc.ENOENT, true);
        if (path.Contains('\0')) return new FileReadResult(null, Libc.ENOENT, true);
        int fd;
        do fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        while (fd < 0 && Libc.Errno == Libc.EINTR);
        if (fd < 0) return new FileReadResult(null, Libc.Errno, true);
        try
        {
            if (isSpecialFile != null && isSpecialFile(path)) return new FileReadResult(null, Libc.EACCES, false);
            // One reused buffer per thread: most descriptions are a few hundred bytes.
            var buffer = t_buffer ??= new byte[16384];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxFileSize) return new FileReadResult(null, Libc.EFBIG, false);
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxFileSize));
                    if (buffer.Length <= 1 << 20) t_buffer = buffer;
                }
                nint n;
                fixed (byte* p = &buffer[length]) n = Libc.read(fd, p, buffer.Length - length);
                if (n == 0) break;
                if (n < 0)
                {
                    var errno = Libc.Errno;
                    if (errno == Libc.EINTR) continue;
                    if (errno == Libc.EAGAIN) break; // an empty FIFO: nothing to read
                    return new FileReadResult(null, errno, false);
                }
                length += (int)n;
            }
            return new FileReadResult(Encoding.UTF8.GetString(buffer, 0, length), 0, false);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>
    /// The directory holding the file after following a symlink on its final component (for
    /// <c>@include</c> and <c>env-file</c> relative paths, service-files.md §4.6).
    /// </summary>
    public static string RealDirectoryOf(string path)
    {
        var lexicalDir = Path.GetDirectoryName(path) ?? ".";
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            if (target != null) return Path.GetDirectoryName(target.FullName) ?? lexicalDir;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Not a link, or unresolvable: the lexical directory is what the open used.
        }
        return lexicalDir;
    }
}
