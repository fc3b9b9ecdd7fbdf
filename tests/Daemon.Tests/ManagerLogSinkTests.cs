using System.Net.Sockets;
using System.Text;
using Tinyinit.Daemon.Logging;
using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Tests;

/// <summary>
/// The sinks of the manager's own log on their own: the console held while a service owns it,
/// syslog kept until it is switched on (bounded, dropped and counted), the RFC 3164 form.
/// </summary>
public unsafe class ManagerLogSinkTests
{
    private static string ReadAvailable(int fd)
    {
        var buffer = new byte[65536];
        nint n;
        fixed (byte* p = buffer) n = Libc.read(fd, p, buffer.Length);
        return n <= 0 ? "" : Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    [Test]
    public void AHeldConsoleWritesNothingUntilReleasedThenEverythingInOrder()
    {
        Assert.That(FileDescriptors.TryPipe(out var readFd, out var writeFd, out _), Is.True);
        try
        {
            using var output = new NonBlockingOutput(writeFd, "tinyinitd: ");
            output.Write("before\n"u8);
            output.Held = true;
            output.Write("[  OK  ] a\n"u8);
            output.Write("[  OK  ] b\n"u8);
            Assert.That(ReadAvailable(readFd), Is.EqualTo("before\n"));
            output.Held = false;
            Assert.That(ReadAvailable(readFd), Is.EqualTo("[  OK  ] a\n[  OK  ] b\n"));
        }
        finally
        {
            Libc.close(readFd);
            Libc.close(writeFd);
        }
    }

    [Test]
    public void SyslogKeepsWhatWasLoggedBeforeItIsOnAndReportsWhatDidNotFit()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tinyinit-devlog-{Guid.NewGuid():N}");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            using var output = new DatagramOutput(path, dropped => Encoding.UTF8.GetBytes($"dropped {dropped}"), capacity: 100);
            for (var i = 0; i < 20; i++) output.Write(Encoding.UTF8.GetBytes($"message {i:D2}"));   // 10 bytes each: 10 fit
            Assert.That(listener.Available, Is.Zero, "nothing is sent before the output is switched on");
            Assert.That(output.Dropped, Is.EqualTo(10));

            output.SwitchOn();
            var received = new List<string>();
            var buffer = new byte[1024];
            while (listener.Available > 0) received.Add(Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer)));
            Assert.That(received, Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"message {i:D2}").Append("dropped 10")));

            output.Write("later"u8.ToArray());
            Assert.That(Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer)), Is.EqualTo("later"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SyslogMessagesAreRfc3164WithFacilityDaemon()
    {
        var time = new Tm { Month = 11, DayOfMonth = 2, Hour = 7, Minute = 5, Second = 9 };
        var text = Encoding.UTF8.GetString(SyslogMessage.Format(Microsoft.Extensions.Logging.LogLevel.Error, time, "tinyinitd", 42, "service x failed to start."));
        Assert.That(text, Is.EqualTo("<27>Dec  2 07:05:09 tinyinitd[42]: service x failed to start."));
        var notice = Encoding.UTF8.GetString(SyslogMessage.Format(Microsoft.Extensions.Logging.LogLevel.Information, time with { DayOfMonth = 12 }, "dinit", 1, "x"));
        Assert.That(notice, Is.EqualTo("<29>Dec 12 07:05:09 dinit[1]: x"));
    }

    [Test]
    public void AMessageBelowEverySinksLevelIsNeverFormatted()
    {
        Assert.That(FileDescriptors.TryPipe(out var readFd, out var writeFd, out _), Is.True);
        try
        {
            using var log = new ManagerLog(writeFd, Engine.LogLevel.Warn, Engine.LogLevel.Error, statusLines: true, syslog: true);
            var logger = log.CreateLogger("Tinyinit.Test");
            var formatted = 0;
            string Format(int state, Exception? e) { formatted++; return $"text {state}"; }
            logger.Log(Microsoft.Extensions.Logging.LogLevel.Debug, 1, 7, null, Format);
            logger.Log(Microsoft.Extensions.Logging.LogLevel.Information, 1, 7, null, Format);
            Assert.That(formatted, Is.Zero);
            logger.Log(Microsoft.Extensions.Logging.LogLevel.Error, 1, 7, null, Format);   // the console and the (kept) syslog both want it
            Assert.That(formatted, Is.EqualTo(1), "formatted once, whatever the number of sinks");
            Assert.That(ReadAvailable(readFd), Is.EqualTo("tinyinitd: text 7\n"));
        }
        finally
        {
            Libc.close(readFd);
            Libc.close(writeFd);
        }
    }
}
