using Tinyinit.Native;

namespace Tinyinit.Ctl.Output;

/// <summary>
/// Unbuffered, write-only stream over an inherited descriptor (stdout for catlog's raw bytes).
/// Writes go to the descriptor number itself rather than a dup, so a later dup2 onto it (shutdown's
/// switch to /dev/console) redirects them too. Errors follow System.Console's: a closed pipe is
/// ignored, anything else is an <see cref="IOException"/>.
/// </summary>
internal sealed class FileDescriptorStream(int fd) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => WriteAll(fd, buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer) => WriteAll(fd, buffer);
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public static unsafe void WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var n = Libc.write(fd, start + done, bytes.Length - done);
                if (n >= 0) { done += (int)n; continue; }
                switch (Libc.Errno)
                {
                    case Libc.EINTR: continue;
                    // The reader went away (`tinyctl list | head -1`): like System.Console, drop the rest quietly.
                    case Libc.EPIPE: return;
                    // A descriptor someone left non-blocking: wait for room rather than lose output.
                    case Libc.EAGAIN: Thread.Sleep(1); continue;
                    case var errno: throw new IOException(Libc.StrError(errno));
                }
            }
        }
    }
}
