using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Protocol.Tests.Control.Wire;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>tinyinit's REOPENLOG (204): framing and replies (protocol/Control/README.md).</summary>
public class ReopenLogRequestTests
{
    [Test]
    public void AServiceWithALogFileIsAcknowledgedOneWithoutIsRefusedAndAFailureCarriesItsReason()
    {
        var backend = new FakeBackend();
        backend.Add("web").LogFile = (true, "");
        backend.Add("plain");
        backend.Add("broken").LogFile = (false, "/var/log/x: is a symbolic link (not followed)");
        var session = backend.NewSession();
        Assert.That(session.Exchange(Hex("01 03 00 77 65 62")), Does.StartWith("3b"));
        Assert.That(session.Exchange(Hex("01 05 00 70 6c 61 69 6e")), Does.StartWith("3b"));
        Assert.That(session.Exchange(Hex("01 06 00 62 72 6f 6b 65 6e")), Does.StartWith("3b"));

        Assert.That(session.Exchange(ControlRequests.ReopenLog(0)), Is.EqualTo("32"));
        Assert.That(session.Exchange(ControlRequests.ReopenLog(1)), Is.EqualTo("33"), "no log file: NAK");
        var refused = session.Exchange(ControlRequests.ReopenLog(2));
        Assert.That(refused, Does.StartWith("5f 2d 00"), "LOGREOPENFAILED, u16 length");
        Assert.That(session.Exchange(ControlRequests.ReopenLog(9)), Is.EqualTo("33"), "bad handle: NAK");
        Assert.That(backend.Calls.Where(c => c.StartsWith("reopen-log")), Is.EqualTo(new[] { "reopen-log web", "reopen-log plain", "reopen-log broken" }));
        Assert.That(session.WantsClose, Is.False);
    }

    [Test]
    public void ClientsFrameTheFailureWithItsReason()
    {
        byte[] packet = [95, 2, 0, (byte)'n', (byte)'o'];
        Assert.That(ReplyFraming.Length(packet, 0), Is.EqualTo(5));
        Assert.That(RequestFraming.Length(ControlRequests.ReopenLog(7)), Is.EqualTo(5));
    }
}
