using Tinyinit.Daemon.HandOver;
using Tinyinit.Daemon.Link;

namespace Tinyinit.Daemon.Tests;

/// <summary>The hand-over record carries the parked descriptors' keys, and a version 1 record still reads.</summary>
public class HandOverRecordTests
{
    private static HandOverRecord Sample() => new()
    {
        EngineSnapshot = [1, 2, 3],
        ListenerFd = 7,
        SocketPath = "/run/tinyinit.sock",
        LinkFd = 3,
        StateFd = 4,
        Environment = [new("A", "1")],
        ReadinessPipes = [("gated", 12, false, 5), ("ready", 13, true, -1)],
        UnownedExits = [(99, 256)],
        NextParkKey = 9,
        ParkKeys = [5, 8],
    };

    [Test]
    public void ParkKeysRoundTrip()
    {
        var decoded = HandOverRecord.Decode(Sample().Encode(), out var error);
        Assert.That(decoded, Is.Not.Null, error);
        Assert.That(decoded!.NextParkKey, Is.EqualTo(9));
        Assert.That(decoded.ParkKeys, Is.EqualTo(new[] { 5, 8 }));
        Assert.That(decoded.ReadinessPipes, Is.EqualTo(new[] { ("gated", 12, false, 5), ("ready", 13, true, -1) }));
        Assert.That(decoded.UnownedExits, Is.EqualTo(new[] { (99, 256) }));
    }

    [Test]
    public void AVersion1RecordFromThePreviousReleaseStillReadsWithNothingParked()
    {
        var decoded = HandOverRecord.Decode(Sample().Encode(version: 1), out var error);
        Assert.That(decoded, Is.Not.Null, error);
        Assert.That(decoded!.SocketPath, Is.EqualTo("/run/tinyinit.sock"));
        Assert.That(decoded.ParkKeys, Is.Empty);
        Assert.That(decoded.NextParkKey, Is.EqualTo(1));
        Assert.That(decoded.ReadinessPipes, Is.EqualTo(new[] { ("gated", 12, false, -1), ("ready", 13, true, -1) }));
    }

    [Test]
    public void AFutureVersionIsRefused()
    {
        var bytes = Sample().Encode();
        bytes[4] = 5;
        Assert.That(HandOverRecord.Decode(bytes, out var error), Is.Null);
        Assert.That(error, Does.Contain("version 5"));
    }

    [Test]
    public void NamedSectionsRoundTripAndAVersion3RecordHasNone()
    {
        var record = Sample();
        record.Sections["sockets"] = [1, 2, 3];
        record.Sections["empty"] = [];
        var decoded = HandOverRecord.Decode(record.Encode(), out var error);
        Assert.That(decoded, Is.Not.Null, error);
        Assert.That(decoded!.Sections.Keys, Is.EquivalentTo(new[] { "sockets", "empty" }));
        Assert.That(decoded.Sections["sockets"], Is.EqualTo(new byte[] { 1, 2, 3 }));

        var old = HandOverRecord.Decode(record.Encode(version: 3), out error);
        Assert.That(old, Is.Not.Null, error);
        Assert.That(old!.Sections, Is.Empty);
    }

    [Test]
    public void ATruncatedSectionMakesTheRecordUnreadableRatherThanMisread()
    {
        var record = Sample();
        record.Sections["logs"] = new byte[64];
        var bytes = record.Encode();
        Assert.That(HandOverRecord.Decode(bytes[..^10], out var error), Is.Null);
        Assert.That(error, Does.Contain("unreadable"));
    }
}

/// <summary>Keys and hand-back bookkeeping of <see cref="ParkedDescriptors"/> (no link: nothing is sent).</summary>
public class ParkedDescriptorsTests
{
    /// <summary>A raw descriptor the test hands over for good (the handle will not close it behind our back).</summary>
    private static int OpenNull()
    {
        var handle = File.OpenHandle("/dev/null");
        var fd = handle.DangerousGetHandle().ToInt32();
        handle.SetHandleAsInvalid();
        return fd;
    }

    [Test]
    public void WithoutALinkNothingIsParked() =>
        Assert.That(new ParkedDescriptors(_ => { }).Park(0), Is.EqualTo(-1));

    [Test]
    public void KeysHandedBackAfterACrashAreOfferedOnceAndTheNextKeyGoesBeyondThem()
    {
        var parked = new ParkedDescriptors(_ => { });
        parked.HandedBack(7, OpenNull());
        parked.HandedBack(3, OpenNull());
        parked.HandBackEnded();
        Assert.That(parked.HandBackComplete, Is.True);
        Assert.That(parked.NextKey, Is.EqualTo(8));
        Assert.That(parked.TryTake(7, out var fd), Is.True);
        Assert.That(fd, Is.GreaterThan(2));
        Assert.That(parked.TryTake(7, out _), Is.False, "taken once");
        Assert.That(parked.LiveKeys, Is.EquivalentTo(new[] { 7 }), "a taken key is live until released");
        Assert.That(parked.UntakenKeys, Is.EquivalentTo(new[] { 3 }));
        parked.ReleaseUntaken();
        Assert.That(parked.UntakenKeys, Is.Empty);
        Assert.That(parked.TryTake(3, out _), Is.False);
    }

    [Test]
    public void AfterAPlannedHandOverTheSparesOfLiveKeysAreNotOffered()
    {
        var parked = new ParkedDescriptors(_ => { });
        parked.Restore(nextKey: 12, liveKeys: [4, 11]);
        parked.HandedBack(4, OpenNull());
        Assert.That(parked.TryTake(4, out _), Is.False, "we already hold key 4's descriptor");
        Assert.That(parked.NextKey, Is.EqualTo(12));
        parked.Release(4);
        Assert.That(parked.LiveKeys, Is.EquivalentTo(new[] { 11 }));
    }

    [Test]
    public void ARefusalIsLoggedOnceUntilSomethingIsReleased()
    {
        var problems = new List<string>();
        var parked = new ParkedDescriptors(problems.Add);
        parked.Restore(1, [1, 2, 3]);
        parked.Refused(1);
        parked.Refused(2);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(parked.LiveKeys, Is.EquivalentTo(new[] { 3 }));
        parked.Release(3);
        parked.Refused(99);
        Assert.That(problems, Has.Count.EqualTo(1), "a refusal of a key that is not ours says nothing");
        parked.Restore(1, [4]);
        parked.Refused(4);
        Assert.That(problems, Has.Count.EqualTo(2));
    }
}
