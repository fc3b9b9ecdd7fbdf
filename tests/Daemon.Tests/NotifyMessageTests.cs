using System.Text;
using Tinyinit.Daemon.Notify;

namespace Tinyinit.Daemon.Tests;

/// <summary>Parsing sd_notify datagrams: known lines kept, everything else ignored and counted.</summary>
public class NotifyMessageTests
{
    private static NotifyMessage Parse(string text) => NotifyMessage.Parse(Encoding.UTF8.GetBytes(text));

    [Test]
    public void EveryKeyTinyinitActsOn()
    {
        var m = Parse("READY=1\nSTATUS=Serving\nMAINPID=4321\nWATCHDOG=1\nSTOPPING=1\n");
        Assert.That((m.Ready, m.Status, m.MainPid, m.WatchdogPing, m.Stopping, m.IgnoredLines),
            Is.EqualTo((true, "Serving", (int?)4321, true, true, 0)));
        Assert.That(Parse("WATCHDOG=trigger").WatchdogTrigger, Is.True);
    }

    [TestCase("READY=0")]
    [TestCase("READY")]
    [TestCase("=1")]
    [TestCase("MAINPID=1")]
    [TestCase("MAINPID=-5")]
    [TestCase("MAINPID=12x")]
    [TestCase("RELOADING=1")]
    [TestCase("FDSTORE=1")]
    public void MalformedOrUnknownLinesAreIgnored(string line)
    {
        var m = Parse(line + "\nSTATUS=still read");
        Assert.That((m.Ready, m.MainPid, m.IgnoredLines, m.Status), Is.EqualTo((false, (int?)null, 1, "still read")));
    }

    [Test]
    public void TextThatIsNotUtf8IsIgnoredWhole()
    {
        var m = NotifyMessage.Parse([0x52, 0x45, 0x41, 0x44, 0x59, 0x3d, 0x31, 0x0a, 0xff, 0xfe]);
        Assert.That((m.Ready, m.IgnoredLines), Is.EqualTo((false, 1)));
    }

    [Test]
    public void StatusTextIsBoundedAndLosesControlCharacters()
    {
        Assert.That(Parse("STATUS=a\u001b[31mred\u0000").Status, Is.EqualTo("a [31mred "));
        Assert.That(Parse("STATUS=" + new string('x', 5000)).Status, Has.Length.EqualTo(NotifyMessage.MaxStatusLength));
        Assert.That(Parse("STATUS=").Status, Is.EqualTo(""), "an empty STATUS= clears the text");
    }
}
