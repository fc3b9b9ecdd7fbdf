using System.Diagnostics;
using System.Net.Sockets;
using Tinyinit.Integration.Tests.Harness;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Integration.Tests.Hardening;

/// <summary>
/// A million seeded random and mutated request packets, with random disconnects (some in the
/// middle of a packet), against a running manager. Afterwards the manager is up, serves a
/// well-behaved client, and its descriptor count and memory are back where they were.
/// Set TINYINIT_FUZZ_SEED to replay another run; the elapsed time is printed.
/// </summary>
[TestFixture, NonParallelizable]
public class ControlProtocolFuzzTests
{
    private const int Packets = 1_000_000;
    private const int Connections = 4;

    /// <summary>
    /// Bytes the fuzzer never sends anywhere in a packet (a mis-framed stream can turn any byte
    /// into a request code): SHUTDOWN (10) would end the test's manager, SETENV (17) with random
    /// names would grow the environment without bound by design, and 200 and up are tinyinit's
    /// own requests (hand-over, recovery...), tested where they are built.
    /// </summary>
    private static bool Forbidden(byte b) => b is 10 or 17 or >= 200;

    /// <summary>Names made of these cannot spell an existing service ("boot", "worker").</summary>
    private const string NameAlphabet = "xyzq./@-_\0\u00e9";

    private static readonly byte[] Codes = [.. Enumerable.Range(0, 30).Select(c => (byte)c).Where(c => !Forbidden(c))];

    [Test]
    public void AMillionHostilePacketsLeaveTheManagerUpServingAndBounded()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TINYINIT_FUZZ_SEED"), out var s) ? s : 1414;
        using var manager = StandaloneManager.Start(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\nwaits-for: worker\n",
            ["worker"] = "type = process\ncommand = /bin/sleep 1051\n",
        }).WaitReady();
        Assert.That(Poll.Until(() => manager.Ctl("list").StdOut.Contains("worker")), manager.Output);

        Fuzz(manager.SocketPath, seed, 20_000); // warm-up: the runtime's one-time allocations
        var fdsBefore = DescriptorCount(manager.Pid);
        var rssBefore = ResidentKiB(manager.Pid);

        var clock = Stopwatch.StartNew();
        var sent = Fuzz(manager.SocketPath, seed, Packets);
        clock.Stop();
        TestContext.Out.WriteLine($"control-protocol fuzz: seed {seed}, {sent} packets in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.That(sent, Is.GreaterThanOrEqualTo(Packets));
        Assert.That(manager.HasExited, Is.False, manager.Output);
        var list = manager.Ctl("list");
        Assert.That(list.ExitCode, Is.EqualTo(0), list + manager.Output[..Math.Min(4000, manager.Output.Length)]);
        Assert.That(list.StdOut, Does.Contain("worker"));
        Assert.That(Poll.Until(() => DescriptorCount(manager.Pid) <= fdsBefore + 2), $"descriptors {fdsBefore} -> {DescriptorCount(manager.Pid)}");
        var rssAfter = ResidentKiB(manager.Pid);
        TestContext.Out.WriteLine($"manager RSS {rssBefore} KiB -> {rssAfter} KiB, descriptors {fdsBefore} -> {DescriptorCount(manager.Pid)}");
        Assert.That(rssAfter, Is.LessThan(rssBefore + 64 * 1024), "RSS stays bounded");
    }

    /// <summary>Sends at least <paramref name="total"/> packets over a few connections; returns how many.</summary>
    private static long Fuzz(string socketPath, int seed, int total)
    {
        long sent = 0;
        var workers = Enumerable.Range(0, Connections).Select(worker => Task.Run(() =>
        {
            var random = new Random(seed * 31 + worker);
            var batch = new List<byte>(8192);
            Connection? connection = null;
            while (Interlocked.Read(ref sent) < total)
            {
                connection ??= new Connection(socketPath);
                batch.Clear();
                var count = random.Next(1, 64);
                for (var i = 0; i < count; i++) batch.AddRange(Packet(random));
                var abrupt = random.Next(50) == 0;
                if (abrupt) batch.AddRange(Packet(random).Take(1 + random.Next(3))); // cut mid-packet
                if (!connection.Send(batch.ToArray()) || abrupt || random.Next(40) == 0)
                {
                    connection.Dispose();
                    connection = null;
                }
                Interlocked.Add(ref sent, count);
            }
            connection?.Dispose();
        })).ToArray();
        Assert.That(Task.WaitAll(workers, TimeSpan.FromMinutes(15)), "the fuzzer finished");
        return Interlocked.Read(ref sent);
    }

    private static byte[] Packet(Random random)
    {
        var roll = random.Next(100);
        byte[] packet = roll switch
        {
            < 50 => WellFormed(random),
            < 85 => Mutate(random, WellFormed(random)),
            _ => RandomBytes(random, random.Next(1, 48)),
        };
        for (var i = 0; i < packet.Length; i++)
            while (Forbidden(packet[i])) packet[i] = (byte)random.Next(256);
        return packet;
    }

    private static byte[] WellFormed(Random random)
    {
        var code = Codes[random.Next(Codes.Length)];
        var handle = (uint)random.Next(4);
        return (RequestCode)code switch
        {
            RequestCode.FindService => ControlRequests.FindService(Name(random)),
            RequestCode.LoadService => ControlRequests.LoadService(Name(random)),
            RequestCode.StartService or RequestCode.StopService or RequestCode.WakeService or RequestCode.ReleaseService =>
                ControlRequests.StateChange((RequestCode)code, (byte)random.Next(256), handle),
            RequestCode.ServiceStatus or RequestCode.ServiceStatus5 or RequestCode.ServiceStatus6 =>
                ControlRequests.ServiceStatus(handle, random.Next(3) switch { 0 => 1, 1 => 5, _ => 6 }),
            RequestCode.AddDep or RequestCode.RemDep or RequestCode.EnableService or RequestCode.EnableServiceV7 =>
                ControlRequests.Dependency((RequestCode)code, (DependencyType)random.Next(8), handle, (uint)random.Next(4)),
            RequestCode.Signal => ControlRequests.Signal(random.Next(-2, 70), handle),
            RequestCode.CatLog => ControlRequests.CatLog(handle, random.Next(2) == 0),
            RequestCode.SetTrigger => ControlRequests.SetTrigger(handle, random.Next(2) == 0),
            RequestCode.CloseHandle or RequestCode.UnpinService or RequestCode.UnloadService or RequestCode.ReloadService =>
                [code, .. BitConverter.GetBytes(handle)],
            RequestCode.QueryServiceName or RequestCode.QueryServiceDscDir => [code, 0, .. BitConverter.GetBytes(handle)],
            RequestCode.GetAllEnv => ControlRequests.GetAllEnv(),
            _ => [code],
        };
    }

    private static string Name(Random random) =>
        new(Enumerable.Range(0, random.Next(0, 12)).Select(_ => NameAlphabet[random.Next(NameAlphabet.Length)]).ToArray());

    private static byte[] Mutate(Random random, byte[] packet)
    {
        var bytes = packet.ToList();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 0: bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8)); break;
                case 1 when bytes.Count > 1: bytes.RemoveRange(random.Next(1, bytes.Count), 1); break;
                case 2: bytes.InsertRange(random.Next(bytes.Count + 1), RandomBytes(random, random.Next(1, 8))); break;
                case 3 when bytes.Count > 2: bytes[random.Next(1, bytes.Count)] = (byte)(random.Next(2) == 0 ? 0xff : 0); break;
            }
        }
        return [.. bytes];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static int DescriptorCount(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    private static long ResidentKiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    /// <summary>One fuzzing connection: a writer, and a reader that drains replies so the manager never stops reading.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly Thread _reader;

        public Connection(string path)
        {
            _socket.Connect(new UnixDomainSocketEndPoint(path));
            _reader = new Thread(Drain) { IsBackground = true };
            _reader.Start();
        }

        private void Drain()
        {
            var buffer = new byte[65536];
            try
            {
                while (_socket.Receive(buffer) > 0) { }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }

        /// <summary>False once the manager has closed the connection.</summary>
        public bool Send(byte[] data)
        {
            try
            {
                _socket.Send(data);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
            _socket.Dispose();
            _reader.Join();
        }
    }
}
