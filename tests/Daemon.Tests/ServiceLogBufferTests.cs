using System.Text;
using Tinyinit.Daemon.Output;

namespace Tinyinit.Daemon.Tests;

/// <summary>The log-type = buffer store: bounded, latest output kept, whole lines, restart marker.</summary>
public class ServiceLogBufferTests
{
    private static string Text(ServiceLogBuffer b) => Encoding.ASCII.GetString(b.Contents);

    private static void Write(ServiceLogBuffer b, string s) => b.Append(Encoding.ASCII.GetBytes(s));

    [Test]
    public void WhenFullTheOldestLinesGoAndTheBufferStartsAtALine()
    {
        var b = new ServiceLogBuffer(12);
        Write(b, "aaa\nbbb\n");
        Write(b, "ccc\n");
        Assert.That(Text(b), Is.EqualTo("aaa\nbbb\nccc\n"));
        Write(b, "dd\n");
        Assert.That(Text(b), Is.EqualTo("bbb\nccc\ndd\n"), "aaa\\n made room; nothing of a cut line stays");
        Write(b, "e");
        Assert.That(Text(b), Is.EqualTo("bbb\nccc\ndd\ne"), "exactly full");
        Write(b, "ff");
        Assert.That(Text(b), Is.EqualTo("ccc\ndd\neff"));
    }

    [Test]
    public void OutputLargerThanTheBufferKeepsItsLatestWholeLines()
    {
        var b = new ServiceLogBuffer(10);
        Write(b, "old\n");
        Write(b, "line1\nline2\nline3\n");
        Assert.That(Text(b), Is.EqualTo("line3\n"));
        Assert.That(b.Length, Is.LessThanOrEqualTo(10));
    }

    [Test]
    public void ALineLongerThanTheBufferKeepsItsTail()
    {
        var b = new ServiceLogBuffer(4);
        Write(b, "abcdefgh");
        Assert.That(Text(b), Is.EqualTo("efgh"));
    }

    [Test]
    public void TheRestartMarkerIsOnItsOwnLineAndOnlyAfterEarlierOutput()
    {
        var b = new ServiceLogBuffer(100);
        b.MarkRestart();
        Assert.That(b.Length, Is.Zero, "nothing to mark before any output");
        Write(b, "partial");
        b.MarkRestart();
        Assert.That(Text(b), Is.EqualTo("partial\n(dinit: note: service restarted)\n"));
        b.Clear();
        Assert.That(b.Length, Is.Zero);
    }

    [Test]
    public void ABufferTooSmallForTheMarkerGetsNone()
    {
        var b = new ServiceLogBuffer(20);
        Write(b, "x\n");
        b.MarkRestart();
        Assert.That(Text(b), Is.EqualTo("x\n"));
    }

    [Test]
    public void StorageGrowsOnlyWithTheOutput()
    {
        var b = new ServiceLogBuffer(int.MaxValue / 2);
        Write(b, "small\n");
        Assert.That(Text(b), Is.EqualTo("small\n"));
    }
}
