using System.Diagnostics;
using System.Net.Sockets;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Bench;

/// <summary>
/// Unplanned recovery (issue 10): tinyinit as PID 1 of a PID namespace with the real manager;
/// <c>kill -9</c> of the manager until the manager tinyinit starts next answers MANAGERSTATUS
/// with the next generation (tinyinit notices the exit, spawns, the new manager reads the crash
/// record, re-adopts every process and re-binds the control socket).
/// </summary>
public sealed class CrashRecoveryBench : IBenchmarkGroup
{
    public string Title => "crash-recovery";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var tinyinit = Path.Combine(context.BinDirectory, "tinyinit");
        if (!File.Exists(tinyinit) || !File.Exists(Path.Combine(context.BinDirectory, "tinyinitd"))) yield break;
        foreach (var n in context.Quick ? new[] { 0, 200 } : [0, 1000])
        {
            var runs = context.Quick ? 3 : 5;
            var times = new List<double>();
            using (var init = NamespacedManager.Boot(tinyinit, ServiceSets.Boot(n, "process")))
            {
                init.WaitForGeneration(1, TimeSpan.FromMinutes(5), requireBootStarted: n);
                for (var i = 0; i < runs; i++)
                {
                    Thread.Sleep(1100); // tinyinit restarts a manager at most once a second
                    times.Add(init.KillManagerAndTime((uint)i + 2));
                }
            }
            times.Sort();
            yield return new BenchRow($"kill -9 of the manager to the next answering, {n} running (median of {runs})", times[runs / 2], "ms",
                "crash record read, processes re-adopted, socket re-bound");
        }
    }

    private sealed class NamespacedManager : IDisposable
    {
        private readonly Process _unshare;
        private readonly string _work;

        private NamespacedManager(Process unshare, string work) => (_unshare, _work) = (unshare, work);

        private string SocketPath => Path.Combine(_work, "ctl.socket");

        public static NamespacedManager Boot(string tinyinit, IReadOnlyDictionary<string, string> services)
        {
            var work = Directory.CreateTempSubdirectory("tinyinit-crashbench.").FullName;
            var dir = Directory.CreateDirectory(Path.Combine(work, "services")).FullName;
            foreach (var (name, text) in services) File.WriteAllText(Path.Combine(dir, name), text);
            var psi = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--default-signal", "unshare", "--pid", "--fork", "--mount-proc", tinyinit, "-q", "-d", dir, "-p", Path.Combine(work, "ctl.socket") })
                psi.ArgumentList.Add(a);
            var unshare = Process.Start(psi)!;
            unshare.OutputDataReceived += (_, _) => { };
            unshare.ErrorDataReceived += (_, _) => { };
            unshare.BeginOutputReadLine();
            unshare.BeginErrorReadLine();
            return new NamespacedManager(unshare, work);
        }

        private ManagerStatusInfo? Status()
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
                socket.Send(ControlRequests.ManagerStatus());
                var reply = new byte[64];
                var n = socket.Receive(reply);
                return n >= ManagerStatusInfo.ReplyLength && reply[0] == (byte)ReplyCode.ManagerStatus ? ManagerStatusInfo.Read(reply) : null;
            }
            catch (SocketException)
            {
                return null;
            }
        }

        public void WaitForGeneration(uint generation, TimeSpan timeout, int requireBootStarted = 0)
        {
            var sw = Stopwatch.StartNew();
            while (Status()?.Generation != generation || requireBootStarted > 0 && SleepCount() < requireBootStarted)
            {
                if (sw.Elapsed > timeout || _unshare.HasExited) throw new InvalidOperationException($"manager generation {generation} never answered");
                Thread.Sleep(TimeSpan.FromMilliseconds(0.2));
            }
        }

        private int ManagerPid() => Descendants().FirstOrDefault(p => Comm(p) == "tinyinitd");

        private int SleepCount() => Descendants().Count(p => Comm(p) == "sleep");

        public double KillManagerAndTime(uint nextGeneration)
        {
            var manager = ManagerPid();
            var sw = Stopwatch.StartNew();
            Process.Start("kill", ["-KILL", manager.ToString()])!.WaitForExit();
            WaitForGeneration(nextGeneration, TimeSpan.FromMinutes(2));
            return sw.Elapsed.TotalMilliseconds;
        }

        private static string Comm(int pid)
        {
            try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
            catch (IOException) { return ""; }
        }

        private IEnumerable<int> Descendants()
        {
            var parents = new Dictionary<int, int>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[pid] = int.Parse(fields[1]);
                }
                catch (IOException) { }
                catch (FormatException) { }
            }
            var inside = new HashSet<int> { _unshare.Id };
            bool grew;
            do
            {
                grew = false;
                foreach (var (pid, parent) in parents)
                    if (inside.Contains(parent) && inside.Add(pid)) grew = true;
            } while (grew);
            inside.Remove(_unshare.Id);
            return inside;
        }

        public void Dispose()
        {
            if (!_unshare.HasExited)
            {
                try { _unshare.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                _unshare.WaitForExit(5000);
            }
            _unshare.Dispose();
            try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
        }
    }
}
