using System.Text;
using Tinyinit.Daemon.Logging;
using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Tests;

/// <summary>The manager's log output against a pipe nobody reads: it must never block, keep whole lines, and say what it dropped.</summary>
public unsafe class NonBlockingOutputTests
{
    private static string ReadAvailable(int fd)
    {
        var text = new StringBuilder();
        var buffer = new byte[65536];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = Libc.read(fd, p, buffer.Length);
            if (n <= 0) return text.ToString();
            text.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
        }
    }

    [Test, CancelAfter(20_000)]
    public void AFullPipeNeverBlocksAndTheDroppedCountIsReportedWhenItDrains()
    {
        Assert.That(FileDescriptors.TryPipe(out var readFd, out var writeFd, out _), Is.True);
        try
        {
            using var output = new NonBlockingOutput(writeFd, "tinyinitd: ", capacity: 4096);
            const int lines = 20_000;     // far more than a 64 KiB pipe plus a 4 KiB ring
            for (var i = 0; i < lines; i++) output.Write(Encoding.UTF8.GetBytes($"line {i}\n"));
            Assert.That(output.Dropped, Is.GreaterThan(0));

            var received = ReadAvailable(readFd);
            output.OnReady(Libc.EPOLLOUT);          // what the loop does once the pipe is writable
            received += ReadAvailable(readFd);

            var all = received.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var kept = all.Where(l => l.StartsWith("line ")).Select(l => int.Parse(l[5..])).ToList();
            Assert.That(kept, Is.Ordered.And.Unique, "lines are whole and in order");
            Assert.That(kept[0], Is.EqualTo(0));
            Assert.That(all[^1], Does.Match(@"^tinyinitd: \*\*\* \d+ log message\(s\) discarded due to full buffer \*\*\*$"));
            Assert.That(int.Parse(all[^1].Split(' ')[2]), Is.EqualTo(lines - kept.Count), "the count is exact");
        }
        finally
        {
            Libc.close(readFd);
            Libc.close(writeFd);
        }
    }
}
