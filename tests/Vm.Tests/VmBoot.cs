using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Tinyinit.Vm.Tests;

/// <summary>
/// One boot of the test image under QEMU (scripts/vm/boot.sh) on its own copy of the disk. The
/// console (ttyS0) is QEMU's stdin/stdout, kept in <see cref="Console"/> and written to
/// console.log; the guest's result lines (ttyS1, "VMTEST ...") are read from result.txt. QEMU
/// exits 0 after a kernel panic too, so a boot is judged by these markers, never by the exit code.
/// </summary>
public sealed class VmBoot : IDisposable
{
    /// <summary>Generous: a boot takes 3–24 s on a loaded 2-core machine without KVM.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly Process _qemu;
    private readonly StringBuilder _console = new();
    private readonly StreamWriter _consoleLog;
    private readonly string _results;
    private readonly string _monitor;
    private readonly Task _pump;

    public string Image { get; }
    public string Directory { get; }

    public VmBoot(string name, params string[] kernelWords)
    {
        Directory = Path.Combine(Repository.WorkDir, "boots", name);
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        System.IO.Directory.CreateDirectory(Directory);
        Image = Path.Combine(Directory, "root.img");
        File.Copy(TestImage.Path_, Image);
        _results = Path.Combine(Directory, "result.txt");
        _monitor = Path.Combine(Directory, "monitor.sock");
        _consoleLog = new StreamWriter(Path.Combine(Directory, "console.log")) { AutoFlush = true };
        var info = new ProcessStartInfo(Repository.Script("boot.sh"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Image);
        foreach (var word in kernelWords) info.ArgumentList.Add(word);
        info.Environment["VM_KERNEL"] = TestImage.Kernel;
        info.Environment["VM_CONSOLE"] = "stdio";
        info.Environment["VM_RESULTS"] = _results;
        info.Environment["VM_MONITOR"] = _monitor;
        _qemu = Process.Start(info)!;
        _pump = Task.WhenAll(Pump(_qemu.StandardOutput), Pump(_qemu.StandardError));
    }

    private async Task Pump(StreamReader reader)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_console) _console.Append(buffer, 0, n);
            lock (_consoleLog) _consoleLog.Write(buffer, 0, n);
        }
    }

    /// <summary>Everything the console showed so far (kernel log, manager, services).</summary>
    public string Console
    {
        get { lock (_console) return _console.ToString().Replace("\r", ""); }
    }

    /// <summary>The guest's result lines so far, without the "VMTEST " prefix.</summary>
    public IReadOnlyList<string> Results
    {
        get
        {
            if (!File.Exists(_results)) return [];
            using var stream = new FileStream(_results, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var text = new StreamReader(stream).ReadToEnd().Replace("\r", "");
            return text.Split('\n').Where(l => l.StartsWith("VMTEST ")).Select(l => l["VMTEST ".Length..]).ToList();
        }
    }

    public bool Exited => _qemu.HasExited;

    /// <summary>The first result line starting with <paramref name="prefix"/>, waiting for it; null on timeout or exit.</summary>
    public string? WaitForResult(string prefix)
    {
        string? found = null;
        Until(() => (found = Results.FirstOrDefault(l => l.StartsWith(prefix))) != null || Exited);
        return found ?? Results.FirstOrDefault(l => l.StartsWith(prefix));
    }

    public bool WaitForConsole(string text) => Until(() => Console.Contains(text) || Exited) && Console.Contains(text);

    /// <summary>Waits for QEMU to exit (the guest powered off or rebooted); false on timeout.</summary>
    public bool WaitForExit()
    {
        var exited = _qemu.WaitForExit(Timeout);
        if (exited) _pump.Wait(TimeSpan.FromSeconds(10));
        return exited;
    }

    /// <summary>Types on the console.</summary>
    public void Type(string text)
    {
        _qemu.StandardInput.Write(text);
        _qemu.StandardInput.Flush();
    }

    /// <summary>A command to the QEMU monitor, e.g. "sendkey ctrl-alt-delete".</summary>
    public void Monitor(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(_monitor));
        socket.Send(Encoding.ASCII.GetBytes(command + "\n"));
        Thread.Sleep(500);
    }

    /// <summary>What a reader of a failure needs: where the logs are, and the end of the console.</summary>
    public string Diagnostics()
    {
        var console = Console;
        return $"\nlogs in {Directory}\n--- results ---\n{string.Join("\n", Results)}\n--- console (end) ---\n{console[Math.Max(0, console.Length - 4000)..]}";
    }

    /// <summary>The kernel never panicked (QEMU exits 0 after a panic too).</summary>
    public bool Panicked => Console.Contains("Kernel panic");

    private static bool Until(Func<bool> condition)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < Timeout)
        {
            if (condition()) return true;
            Thread.Sleep(200);
        }
        return condition();
    }

    public void Dispose()
    {
        if (!_qemu.HasExited)
        {
            try { _qemu.Kill(); } catch (InvalidOperationException) { }
            _qemu.WaitForExit(10_000);
        }
        try { _pump.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _qemu.Dispose();
        lock (_consoleLog) _consoleLog.Dispose();
    }
}
