using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Protocol.Tests.Control.Wire;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>Byte-stream behaviour: splits, pipelining, back-pressure, event fan-out and ordering, hostile input.</summary>
public class SessionStreamTests
{
    private static readonly byte[] Script = Hex(
        "00" + "02 01 00 61" + "1c 00 00 00 00" + "03 00 00 00 00 00" + "19" + "11 03 00 41 3d 31" + "18 00" + "0f 00 00 00 00 00" + "17 00 00 00 00");

    private static (FakeBackend, ControlSession) Fresh()
    {
        var backend = new FakeBackend();
        backend.OnDisk["a"] = new FakeService("a") { Synchronous = true };
        backend.Add("b", ServiceState.Started);
        return (backend, backend.NewSession());
    }

    [Test]
    public void AnySplitOfTheInputGivesTheSameOutput()
    {
        var (_, whole) = Fresh();
        whole.Receive(Script);
        var expected = whole.TakeHex();
        Assert.That(expected, Does.StartWith("3a 01 00 07 00 3b 00"));
        var random = new Random(1234);
        for (var trial = 0; trial < 200; trial++)
        {
            var (_, split) = Fresh();
            var output = new List<byte>();
            for (var offset = 0; offset < Script.Length;)
            {
                var n = trial == 0 ? 1 : random.Next(1, 8);
                n = Math.Min(n, Script.Length - offset);
                split.Receive(Script.AsSpan(offset, n));
                offset += n;
                output.AddRange(split.Take());
            }
            Assert.That(ToHex(output.ToArray()), Is.EqualTo(expected), $"trial {trial}");
        }
    }

    [Test]
    public void EveryHandleOfAServiceGetsAnEventPairNewestHandleFirst()
    {
        var backend = new FakeBackend();
        var b = backend.Add("b");
        var session = backend.NewSession();
        session.Exchange(Hex("01 01 00 62 01 01 00 62"));
        backend.Hub.BroadcastServiceEvent(b, ServiceEventCode.Started);
        var output = session.Take();
        Assert.That(output, Has.Length.EqualTo(2 * (21 + 17)));
        Assert.That(ToHex(output.AsSpan(0, 6)), Is.EqualTo("65 15 01 00 00 00"), "handle 1 first (v5)");
        Assert.That(ToHex(output.AsSpan(21, 6)), Is.EqualTo("64 11 01 00 00 00"), "then its v1 twin");
        Assert.That(ToHex(output.AsSpan(38, 6)), Is.EqualTo("65 15 00 00 00 00"));
    }

    [Test]
    public void EventsForServicesWithoutAHandleAreNotSent()
    {
        var backend = new FakeBackend();
        var b = backend.Add("b");
        var session = backend.NewSession();
        backend.Hub.BroadcastServiceEvent(b, ServiceEventCode.Started);
        Assert.That(session.PendingOutput.Length, Is.Zero);
        session.Exchange(Hex("01 01 00 62 17 00 00 00 00"));
        backend.Hub.BroadcastServiceEvent(b, ServiceEventCode.Started);
        Assert.That(session.PendingOutput.Length, Is.Zero, "CLOSEHANDLE ends the subscription");
    }

    [Test]
    public void AsynchronousCompletionEventsFollowTheAck()
    {
        var (backend, session) = Fresh();
        session.Exchange(Hex("01 01 00 62"));
        backend.Loaded[0].Status = new ServiceStatus(ServiceState.Started, ServiceState.Started);
        var reply = session.Exchange(Hex("04 00 00 00 00 00"));
        Assert.That(reply, Is.EqualTo("32"));
        backend.CompletePending();
        Assert.That(session.TakeHex(), Does.StartWith("65 15 00 00 00 00 01"), "STOPPED after the ACK");
    }

    [Test]
    public void PipelinedRequestsBeyondTheHighWaterMarkWaitUntilOutputDrains()
    {
        var backend = new FakeBackend();
        for (var i = 0; i < 20; i++) backend.Add($"service-number-{i}");
        var session = backend.NewSession();
        var requests = Enumerable.Repeat((byte)RequestCode.ListServices5, 2000).Append((byte)RequestCode.QueryVersion).ToArray();
        session.Receive(requests);
        Assert.That(session.WantsInput, Is.False, "above the high-water mark the daemon should stop reading");
        Assert.That(session.PendingOutput.Length, Is.LessThan(ControlSession.OutputHighWater + 2000));
        var total = new List<byte>();
        while (session.PendingOutput.Length > 0)
        {
            var chunk = Math.Min(4096, session.PendingOutput.Length);
            total.AddRange(session.PendingOutput[..chunk].ToArray());
            session.ConsumeOutput(chunk);
        }
        Assert.That(ToHex(total.TakeLast(5).ToArray()), Is.EqualTo("3a 01 00 07 00"), "the request after 2000 lists is answered");
        Assert.That(total.Count(b => b == (byte)ReplyCode.ListDone), Is.GreaterThanOrEqualTo(2000));
        Assert.That(session.WantsInput, Is.True);
    }

    [Test]
    public void AClientThatNeverReadsEventsIsClosedNotBufferedForever()
    {
        var backend = new FakeBackend();
        var b = backend.Add("b");
        var session = backend.NewSession();
        session.Exchange(Hex("01 01 00 62"));
        for (var i = 0; i < 100_000 && !session.WantsClose; i++) backend.Hub.BroadcastServiceEvent(b, ServiceEventCode.Started);
        Assert.That(session.WantsClose, Is.True);
        Assert.That(session.PendingOutput.Length, Is.Zero);
        Assert.That(backend.Hub.Sessions, Does.Not.Contain(session));
    }

    [Test]
    public void InputBeyondTheLimitClosesTheSession()
    {
        var backend = new FakeBackend();
        for (var i = 0; i < 100; i++) backend.Add($"s{i}");
        var session = backend.NewSession();
        var flood = Enumerable.Repeat((byte)RequestCode.ListServices5, 200_000).ToArray();
        for (var offset = 0; offset < flood.Length && !session.WantsClose; offset += 1000)
            session.Receive(flood.AsSpan(offset, 1000));
        Assert.That(session.WantsClose, Is.True);
    }

    [Test]
    public void CloseReleasesHandlesAndIgnoresEverythingAfterwards()
    {
        var backend = new FakeBackend();
        var b = backend.Add("b");
        var session = backend.NewSession();
        session.Exchange(Hex("01 01 00 62"));
        session.Close();
        backend.Hub.BroadcastServiceEvent(b, ServiceEventCode.Started);
        session.Receive(Hex("00"));
        Assert.That((session.HandleCount, session.PendingOutput.Length), Is.EqualTo((0, 0)));
    }

    [Test]
    public void SeededRandomInputNeverThrowsAndStaysBounded()
    {
        var random = new Random(20261201);
        for (var trial = 0; trial < 5000; trial++)
        {
            var backend = new FakeBackend();
            var a = backend.Add("a", ServiceState.Started);
            a.Triggered = true;
            a.Log = Ascii("log");
            backend.Add("b", synchronous: true).Dependents.Add(a);
            backend.OnDisk["c"] = new FakeService("c");
            var session = backend.NewSession();
            var input = RandomInput(random);
            Assert.DoesNotThrow(() =>
            {
                for (var offset = 0; offset < input.Length;)
                {
                    var n = Math.Min(random.Next(1, 64), input.Length - offset);
                    session.Receive(input.AsSpan(offset, n));
                    offset += n;
                    if (random.Next(4) == 0) backend.CompletePending();
                    if (random.Next(3) == 0) session.ConsumeOutput(session.PendingOutput.Length);
                }
            }, $"trial {trial}");
            Assert.That(session.PendingOutput.Length, Is.LessThanOrEqualTo(ControlSession.OutputHardLimit));
            Assert.That(session.Fault, Is.Null, $"trial {trial}: fake backend faulted");
        }
    }

    /// <summary>Mostly well-formed requests with valid-looking handles, mutated, so the fuzz reaches deep into the handlers.</summary>
    private static byte[] RandomInput(Random random)
    {
        var bytes = new List<byte>();
        var count = random.Next(1, 40);
        for (var i = 0; i < count; i++)
        {
            var code = (byte)random.Next(0, 32);
            var request = new List<byte> { code };
            if (code is 1 or 2 or 17)
            {
                var name = random.Next(3) switch { 0 => "a", 1 => "b", _ => "c" };
                if (code == 17) name = random.Next(2) == 0 ? "X=1" : "=bad";
                request.AddRange([(byte)name.Length, 0]);
                request.AddRange(Ascii(name));
            }
            else
            {
                var length = RequestFraming.Length([code]);
                for (var j = 1; j < Math.Max(length, 1); j++) request.Add((byte)(random.Next(4) == 0 ? random.Next(256) : random.Next(3)));
            }
            if (random.Next(10) == 0) request[random.Next(request.Count)] = (byte)random.Next(256);
            bytes.AddRange(request);
        }
        if (random.Next(5) == 0)
        {
            var garbage = new byte[random.Next(1, 300)];
            random.NextBytes(garbage);
            bytes.AddRange(garbage);
        }
        return bytes.ToArray();
    }
}
