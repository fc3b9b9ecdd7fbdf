using Tinyinit.Daemon.HandOver;

namespace Tinyinit.Daemon.Tests;

/// <summary>The hand-over record's "sockets" section: each service's sockets, descriptors and park keys, in order.</summary>
public class SocketsSectionTests
{
    [Test]
    public void EveryServicesSocketsRoundTripInDescriptorOrder()
    {
        var payload = SocketsSection.Encode([
            ("web", [new("/run/web.sock", 9, 4), new("@web-admin", 10, -1)]),
            ("db", [new("db.sock", -1, 7)]),
        ]);
        var record = new HandOverRecord { Sections = { [SocketsSection.Name] = payload } };
        var decoded = HandOverRecord.Decode(record.Encode(), out var error);
        Assert.That(decoded, Is.Not.Null, error);

        var services = SocketsSection.Decode(decoded!.Sections["sockets"]);
        Assert.That(services, Is.Not.Null);
        Assert.That(services!.Select(s => s.Service), Is.EqualTo(new[] { "web", "db" }));
        Assert.That(services![0].Sockets, Is.EqualTo(new SocketsSection.Socket[] { new("/run/web.sock", 9, 4), new("@web-admin", 10, -1) }));
        Assert.That(services![1].Sockets, Is.EqualTo(new SocketsSection.Socket[] { new("db.sock", -1, 7) }));
    }

    [Test]
    public void ATruncatedPayloadIsUnreadableNotMisread() =>
        Assert.That(SocketsSection.Decode(SocketsSection.Encode([("web", [new("/run/web.sock", 9, 4)])])[..^3]), Is.Null);
}
