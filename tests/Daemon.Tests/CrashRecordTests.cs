using Tinyinit.Daemon.HandOver;
using Tinyinit.Daemon.Link;

namespace Tinyinit.Daemon.Tests;

/// <summary>
/// The crash record in tinyinit's state memfd: two checksummed slots, so that a manager killed
/// in the middle of a write leaves the previous record readable; and records written by earlier
/// formats (golden files made by Golden/make-golden.py from the documented layout) still read.
/// </summary>
public class CrashRecordTests
{
    private sealed class ArrayStore : IRecordStore
    {
        public byte[] Bytes = [];
        /// <summary>Writes stop (fail) after this many more bytes: a write cut short by kill -9.</summary>
        public long BytesUntilCrash = long.MaxValue;

        public int ReadAt(long offset, Span<byte> buffer)
        {
            if (offset >= Bytes.Length) return 0;
            var n = (int)Math.Min(buffer.Length, Bytes.Length - offset);
            Bytes.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }

        public bool WriteAt(long offset, ReadOnlySpan<byte> bytes)
        {
            var n = (int)Math.Min(bytes.Length, BytesUntilCrash);
            BytesUntilCrash -= n;
            if (offset + n > Bytes.Length) Array.Resize(ref Bytes, (int)(offset + n));
            bytes[..n].CopyTo(Bytes.AsSpan((int)offset));
            return n == bytes.Length;
        }
    }

    private static byte[] Body(int seed, int length)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }

    private static byte[]? ReadBack(ArrayStore store) => CrashRecordLayout.Open(store, out _).ReadNewest(out _);

    [Test]
    public void TheNewestRecordIsRead()
    {
        var store = new ArrayStore();
        var layout = CrashRecordLayout.Open(store, out var content);
        Assert.That(content, Is.EqualTo(CrashRecordLayout.Content.Empty));
        for (var i = 0; i < 5; i++) Assert.That(layout.Write(Body(i, 100 + 3000 * i)), Is.True);
        Assert.That(ReadBack(store), Is.EqualTo(Body(4, 100 + 3000 * 4)));
    }

    [Test]
    public void AWriteCutShortAtAnyByteLeavesThePreviousRecord()
    {
        foreach (var (oldLength, newLength) in new[] { (5000, 300), (300, 9000), (4000, 4000) })
        {
            var previous = new ArrayStore();
            CrashRecordLayout.Open(previous, out _).Write(Body(1, oldLength));
            var newWriteBytes = newLength + CrashRecordLayout.DescriptorSize;
            for (var cut = 0; cut < newWriteBytes; cut += cut < 64 ? 1 : 97)
            {
                var store = new ArrayStore { Bytes = (byte[])previous.Bytes.Clone(), BytesUntilCrash = cut };
                Assert.That(CrashRecordLayout.Open(store, out _).Write(Body(2, newLength)), Is.False);
                Assert.That(ReadBack(store), Is.EqualTo(Body(1, oldLength)), $"cut after {cut} bytes ({oldLength} → {newLength})");
            }
            var whole = new ArrayStore { Bytes = (byte[])previous.Bytes.Clone() };
            Assert.That(CrashRecordLayout.Open(whole, out _).Write(Body(2, newLength)), Is.True);
            Assert.That(ReadBack(whole), Is.EqualTo(Body(2, newLength)));
        }
    }

    [Test]
    public void ACorruptNewestSlotFallsBackToTheOlderOne()
    {
        var store = new ArrayStore();
        var layout = CrashRecordLayout.Open(store, out _);
        layout.Write(Body(1, 500));
        layout.Write(Body(2, 500));
        store.Bytes[^10] ^= 0x40; // inside the newest body (the later slot lies after the first)
        Assert.That(ReadBack(store), Is.EqualTo(Body(1, 500)));
    }

    [Test]
    public void TheManagerGenerationSurvivesRecordWrites()
    {
        var store = new ArrayStore();
        var layout = CrashRecordLayout.Open(store, out _);
        layout.StoreManagerGeneration(4);
        layout.Write(Body(1, 10));
        var reopened = CrashRecordLayout.Open(store, out var content);
        Assert.That((content, reopened.ManagerGeneration), Is.EqualTo((CrashRecordLayout.Content.Record, 4UL)));
        reopened.StoreManagerGeneration(5);
        Assert.That(ReadBack(store), Is.EqualTo(Body(1, 10)));
    }

    [Test]
    public void AnOlderFormatIsForeignAndIsReplacedCleanly()
    {
        var store = new ArrayStore { Bytes = File.ReadAllBytes(Golden("state-lines-v0.bin")) };
        var layout = CrashRecordLayout.Open(store, out var content);
        Assert.That(content, Is.EqualTo(CrashRecordLayout.Content.Foreign));
        Assert.That(StateRecord.Decode(store.Bytes), Is.EqualTo(new[] { new StateEntry("web", 42, 12345), new StateEntry("db@main", 7, 99) }));
        layout.StoreManagerGeneration(2);
        Assert.That(ReadBack(store), Is.Null, "nothing of the old file reads as a slot");
        layout.Write(Body(3, 64));
        Assert.That(ReadBack(store), Is.EqualTo(Body(3, 64)));
    }

    [Test]
    public void AHandOverRecordSurvivesARoundTrip()
    {
        var record = new HandOverRecord
        {
            EngineSnapshot = [1, 2, 3],
            SocketPath = "/run/x",
            ManagerGeneration = 9,
            Environment = [new("A", "b")],
            UnownedExits = [(5, 0x100)],
            ProcessStarts = [(77, 123456789012)],
        };
        var back = HandOverRecord.Decode(record.Encode(), out var error);
        Assert.That(error, Is.Null);
        Assert.That((back!.EngineSnapshot, back.SocketPath, back.ManagerGeneration, back.ProcessStarts[0], back.UnownedExits[0], back.Environment[0].Value),
            Is.EqualTo((record.EngineSnapshot, "/run/x", 9L, (77, 123456789012L), (5, 0x100), "b")));
    }

    [Test]
    public void AVersion1HandOverRecordStillReads()
    {
        var record = HandOverRecord.Decode(File.ReadAllBytes(Golden("handover-v1.bin")), out var error);
        Assert.That(error, Is.Null);
        Assert.That(record!.EngineSnapshot, Is.EqualTo("TIES-not-parsed-here"u8.ToArray()));
        Assert.That((record.SocketPath, record.AllStoppedPending, record.BootFailureHandled), Is.EqualTo(("/run/tinyinit.socket", true, false)));
        Assert.That(record.Environment, Is.EqualTo(new[] { new KeyValuePair<string, string>("GOLDEN", "yes") }));
        Assert.That(record.UnownedExits, Is.EqualTo(new[] { (4242, 0x100) }));
        Assert.That(record.ReadinessPipes, Is.EqualTo(new[] { ("web", -1, false, -1) }));
        Assert.That((record.ManagerGeneration, record.ProcessStarts.Count, record.ParkKeys.Count), Is.EqualTo((0L, 0, 0)), "fields a version 1 record lacks read as absent");
    }

    [Test]
    public void AVersion2HandOverRecordStillReads()
    {
        var record = HandOverRecord.Decode(File.ReadAllBytes(Golden("handover-v2.bin")), out var error);
        Assert.That(error, Is.Null);
        Assert.That((record!.NextParkKey, record.ParkKeys.Single()), Is.EqualTo((8, 7)));
        Assert.That(record.ReadinessPipes, Is.EqualTo(new[] { ("web", -1, false, 7) }));
        Assert.That((record.ManagerGeneration, record.ProcessStarts.Count), Is.EqualTo((0L, 0)), "fields a version 2 record lacks read as absent");
    }

    [Test]
    public void ALayoutVersion1FileStillReads()
    {
        var store = new ArrayStore { Bytes = File.ReadAllBytes(Golden("crash-record-layout-v1.bin")) };
        var layout = CrashRecordLayout.Open(store, out var content);
        Assert.That((content, layout.ManagerGeneration), Is.EqualTo((CrashRecordLayout.Content.Record, 7UL)));
        var record = HandOverRecord.Decode(layout.ReadNewest(out _)!, out var error);
        Assert.That(error, Is.Null);
        Assert.That((record!.EngineSnapshot, record.ManagerGeneration), Is.EqualTo(("newer"u8.ToArray(), 7L)));
        Assert.That(record.ProcessStarts, Is.EqualTo(new[] { (100, 5555L), (101, 5556L) }));

        // The next write goes into the older slot (generation 11) and keeps generation 12 intact.
        Assert.That(layout.Write(Body(5, 50)), Is.True);
        Assert.That(ReadBack(store), Is.EqualTo(Body(5, 50)));
        store.Bytes[4096 + 3] ^= 1; // damage generation 12's body: the new generation 13 is unaffected
        Assert.That(ReadBack(store), Is.EqualTo(Body(5, 50)));
    }

    private static string Golden(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden", name);
}
