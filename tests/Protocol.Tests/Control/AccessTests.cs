using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Protocol.Tests.Control.Wire;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>A query-only or refused connection (protocol/Control/README.md, "Who may connect").</summary>
public class AccessTests
{
    private static string Refusal(string reason) =>
        ToHex(ControlAccessRules.NotPermittedPacket(reason));

    [Test]
    public void AQueryOnlyConnectionCanFindAndListButNotStartOrLoad()
    {
        var backend = new FakeBackend();
        var web = backend.Add("web", ServiceState.Started);
        var session = new ControlSession(backend, backend.Hub) { Access = ControlAccess.Query, RefusalReason = "no" };
        Assert.That(session.Exchange(Hex("01 03 00 77 65 62")), Does.StartWith("3b"), "FINDSERVICE is a query");
        Assert.That(session.Exchange(Hex("08")), Does.StartWith("3e"), "LISTSERVICES is a query");
        Assert.That(session.Exchange(Hex("04 00 00 00 00 00")), Is.EqualTo(Refusal("no")), "STOPSERVICE is not");
        Assert.That(session.Exchange(Hex("02 03 00 77 65 62")), Is.EqualTo(Refusal("no")), "LOADSERVICE loads: not a query");
        Assert.That(web.Status.State, Is.EqualTo(ServiceState.Started));
        Assert.That(session.WantsClose, Is.False, "a refused request leaves the connection open");
    }

    [Test]
    public void AConnectionWithNoAccessIsAnsweredOnceThenClosed()
    {
        var session = new ControlSession(new FakeBackend()) { Access = ControlAccess.None, RefusalReason = "go away" };
        Assert.That(session.Exchange(Hex("00")), Is.EqualTo(Refusal("go away")));
        Assert.That(session.WantsClose, Is.True);
    }

    [Test]
    public void ClientsFrameTheRefusalWithItsReason()
    {
        var packet = ControlAccessRules.NotPermittedPacket("permission denied: root only");
        Assert.That(ReplyFraming.Length(packet, 0), Is.EqualTo(packet.Length));
        Assert.That(ControlReplies.NotPermitted(packet), Is.EqualTo("permission denied: root only"));
    }

    [TestCase(RequestCode.StartService)]
    [TestCase(RequestCode.SetEnv)]
    [TestCase(RequestCode.CatLog)]
    [TestCase(RequestCode.GetAllEnv)]
    [TestCase(RequestCode.Shutdown)]
    [TestCase(RequestCode.RestartManager)]
    [TestCase(RequestCode.ReexecInit)]
    [TestCase(RequestCode.ReopenLog)]
    public void StateChangesAndPrivateDataAreNotQueries(RequestCode code) =>
        Assert.That(ControlAccess.Query.Allows(code), Is.False);

    [TestCase(RequestCode.ListServices5)]
    [TestCase(RequestCode.ServiceStatus6)]
    [TestCase(RequestCode.ManagerStatus)]
    [TestCase(RequestCode.NotifyStatus)]
    public void ReadOnlyQueriesAreOpenToTheSocketGroup(RequestCode code) =>
        Assert.That(ControlAccess.Query.Allows(code), Is.True);
}

public class SetEnvValidationTests
{
    [Test]
    public void ANameTheBackendRefusesIsABadRequestAndChangesNothing()
    {
        var backend = new FakeBackend();
        var session = backend.NewSession();
        Assert.That(session.Exchange(Hex("11 05 00 41 20 42 3d 31")), Is.EqualTo("34"), "SETENV 'A B=1'");
        Assert.That(backend.Environment, Does.Not.ContainKey("A B"));
    }
}
