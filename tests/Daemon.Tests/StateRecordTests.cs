using Tinyinit.Daemon.Link;

namespace Tinyinit.Daemon.Tests;

/// <summary>The state hand-off record a successor manager reads after a crash.</summary>
public class StateRecordTests
{
    private static readonly StateEntry[] Entries = [new("web", 42, 12345), new("db@main", 7, 99)];

    [Test]
    public void EntriesSurviveARoundTrip() =>
        Assert.That(StateRecord.Decode(LegacyStateRecordWriter.Encode(Entries, 3)), Is.EqualTo(Entries));

    [Test]
    public void AnyCorruptionMakesTheRecordAbsent()
    {
        var record = LegacyStateRecordWriter.Encode(Entries, 1);
        for (var i = 0; i < record.Length; i++)
        {
            var damaged = (byte[])record.Clone();
            damaged[i] ^= 0x20;
            Assert.That(StateRecord.Decode(damaged), Is.Empty, $"flipped a bit in byte {i}");
        }
    }

    [Test]
    public void ATruncatedRecordIsAbsent()
    {
        var record = LegacyStateRecordWriter.Encode(Entries, 1);
        for (var length = 0; length < record.Length; length++)
            Assert.That(StateRecord.Decode(record.AsSpan(0, length)), Is.Empty);
    }

    [Test]
    public void NamesThatWouldBreakTheLineFormatAreLeftOut() =>
        Assert.That(StateRecord.Decode(LegacyStateRecordWriter.Encode([new("bad\tname", 5, 1), new("ok", 6, 2)], 1)),
            Is.EqualTo(new[] { new StateEntry("ok", 6, 2) }));
}
