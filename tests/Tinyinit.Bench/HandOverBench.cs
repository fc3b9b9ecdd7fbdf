using System.Diagnostics;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Bench;

/// <summary>
/// Planned manager hand-over (<c>restart-manager</c>, issue 10): from the request until the new
/// image answers QUERYVERSION, with many running services (their state is written, read and
/// every description loaded again by name).
/// </summary>
public sealed class HandOverBench : IBenchmarkGroup
{
    public string Title => "hand-over";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var tinyinitd = Path.Combine(context.BinDirectory, "tinyinitd");
        var ctl = Path.Combine(context.BinDirectory, "tinyctl");
        if (!File.Exists(tinyinitd) || !File.Exists(ctl)) yield break;
        foreach (var n in context.Quick ? new[] { 0, 200 } : [0, 1000])
        {
            var runs = context.Quick ? 3 : 9;
            var times = new List<double>();
            using (var manager = RunningManager.Launch(tinyinitd, ServiceSets.Boot(n, "process"), "boot"))
            {
                manager.WaitAnswering();
                manager.TimedCtl(ctl, "start", "boot");
                for (var i = 0; i < runs; i++) times.Add(HandOver(manager));
            }
            times.Sort();
            yield return new BenchRow($"restart-manager to first reply, {n} running (median of {runs})", times[runs / 2], "ms",
                "RESTARTMANAGER sent until the new image answers QUERYVERSION");
        }
    }

    private static double HandOver(RunningManager manager)
    {
        var sw = Stopwatch.StartNew();
        using (var socket = manager.Connect() ?? throw new InvalidOperationException("manager not answering"))
        {
            socket.Send(ControlRequests.RestartManager([]));
            var reply = new byte[64];
            if (socket.Receive(reply) < 1 || reply[0] != (byte)ReplyCode.Ack) throw new InvalidOperationException("restart-manager refused");
        }
        manager.WaitAnswering();
        return sw.Elapsed.TotalMilliseconds;
    }
}
