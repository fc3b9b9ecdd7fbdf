using System.Text;
using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Protocol.Tests.Control.Wire;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>tinyinit's RESTARTMANAGER (200): framing and replies (protocol/Control/README.md).</summary>
public class RestartManagerRequestTests
{
    [Test]
    public void WithoutAPathItIsThreeBytesAndAcknowledged()
    {
        List<string?> requested = [];
        var backend = new FakeBackend { HandOver = path => { requested.Add(path); return null; } };
        var session = backend.NewSession();
        Assert.That(session.Exchange(Hex("c8 00 00")), Is.EqualTo("32"));
        Assert.That(requested, Is.EqualTo(new string?[] { null }));
        Assert.That(session.WantsClose, Is.False);
    }

    [Test]
    public void APathIsPassedAndARefusalCarriesItsReason()
    {
        List<string?> requested = [];
        var backend = new FakeBackend { HandOver = path => { requested.Add(path); return "no"; } };
        var session = backend.NewSession();
        Assert.That(session.Exchange(ControlRequests.RestartManager(Encoding.UTF8.GetBytes("/x"))), Is.EqualTo("5a 02 00 6e 6f"));
        Assert.That(requested, Is.EqualTo(new string?[] { "/x" }));
        Assert.That(session.Exchange(Hex("00")), Is.EqualTo("3a 01 00 07 00"), "the connection stays usable");
    }

    [Test]
    public void ABackendThatCannotHandOverRefusesByDefault()
    {
        var session = new FakeBackend().NewSession();
        var reply = Hex(session.Exchange(Hex("c8 00 00")));
        Assert.That(reply[0], Is.EqualTo((byte)ReplyCode.HandOverRefused));
        Assert.That(ReplyFraming.Length(reply, 0), Is.EqualTo(reply.Length));
        Assert.That(ControlReplies.HandOverRefused(reply), Is.Not.Empty);
    }
}
