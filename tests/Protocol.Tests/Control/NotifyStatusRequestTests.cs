using System.Text;
using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Protocol.Tests.Control.Wire;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>tinyinit's NOTIFYSTATUS (203 → 94): a service's sd_notify STATUS= text (protocol/Control/README.md).</summary>
public class NotifyStatusRequestTests
{
    [Test]
    public void TheTextComesWithItsLengthAndAnUnknownHandleIsNaked()
    {
        var backend = new FakeBackend();
        backend.Add("web").NotifyStatus = "Ready";
        backend.Add("quiet");
        var session = backend.NewSession();
        Assert.That(session.Exchange(Hex("01 03 00 77 65 62")), Does.StartWith("3b"), "FINDSERVICE web: handle 0");
        Assert.That(session.Exchange(Hex("01 05 00 71 75 69 65 74")), Does.StartWith("3b"), "FINDSERVICE quiet: handle 1");

        Assert.That(session.Exchange(ControlRequests.NotifyStatus(0)), Is.EqualTo("5e 05 00 52 65 61 64 79"));
        Assert.That(session.Exchange(ControlRequests.NotifyStatus(1)), Is.EqualTo("5e 00 00"), "no text: length 0");
        Assert.That(session.Exchange(ControlRequests.NotifyStatus(7)), Is.EqualTo("33"), "unknown handle: NAK");
        Assert.That(session.WantsClose, Is.False);
    }

    [Test]
    public void FramingKnowsBothPackets()
    {
        Assert.That(RequestFraming.Length(ControlRequests.NotifyStatus(3)), Is.EqualTo(5));
        var reply = Encoding.UTF8.GetBytes("\u005e\u0002\u0000ok");
        Assert.That(ReplyFraming.Length(reply, 0), Is.EqualTo(5));
    }
}
