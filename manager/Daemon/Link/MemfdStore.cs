using Tinyinit.Native;

namespace Tinyinit.Daemon.Link;

/// <summary>The state memfd tinyinit keeps for its managers, read and written with pread/pwrite.</summary>
internal sealed unsafe class MemfdStore(int fd) : IRecordStore
{
    public int Fd => fd;

    public int ReadAt(long offset, Span<byte> buffer)
    {
        var total = 0;
        fixed (byte* p = buffer)
        {
            while (total < buffer.Length)
            {
                var n = Libc.pread(fd, p + total, buffer.Length - total, offset + total);
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                if (n < 0) return -1;
                if (n == 0) break;
                total += (int)n;
            }
        }
        return total;
    }

    public bool WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        var total = 0;
        fixed (byte* p = bytes)
        {
            while (total < bytes.Length)
            {
                var n = Libc.pwrite(fd, p + total, bytes.Length - total, offset + total);
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                if (n <= 0) return false;
                total += (int)n;
            }
        }
        return true;
    }
}
