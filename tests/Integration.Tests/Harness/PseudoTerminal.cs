using Tinyinit.Native;

namespace Tinyinit.Integration.Tests.Harness;

/// <summary>
/// A pseudo-terminal for a test to use as a manager's console. Whatever is written to the
/// terminal is read off the master side and kept (<see cref="Output"/>), so writers never block.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private readonly int _master;
    /// <summary>Held open so the master never reads end-of-file before the manager opens the terminal.</summary>
    private readonly int _slave = -1;
    private readonly Thread _reader;
    private readonly MemoryStream _output = new();

    public PseudoTerminal()
    {
        _master = Libc.posix_openpt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (_master < 0) Assert.Ignore("no pseudo-terminals here (posix_openpt failed)");
        if (Libc.grantpt(_master) != 0 || Libc.unlockpt(_master) != 0 || Libc.PseudoTerminalName(_master) is not { } name)
        {
            Libc.close(_master);
            Assert.Ignore("could not set up a pseudo-terminal");
            return;
        }
        SlavePath = name;
        _slave = OpenSlave();
        _reader = new Thread(Drain) { IsBackground = true, Name = "pty drain" };
        _reader.Start();
    }

    /// <summary>/dev/pts/N.</summary>
    public string SlavePath { get; } = "";

    /// <summary>The device number of the terminal, as /proc/PID/stat's tty_nr shows it.</summary>
    public long DeviceNumber
    {
        get
        {
            // /dev/pts/N is device (136 + N / 256, N % 256); tty_nr packs it as major << 8 | minor.
            var n = int.Parse(Path.GetFileName(SlavePath));
            return ((136L + n / 256) << 8) | (long)(n % 256);
        }
    }

    public string Output { get { lock (_output) return System.Text.Encoding.UTF8.GetString(_output.ToArray()); } }

    private void Drain()
    {
        var buffer = new byte[4096];
        while (true)
        {
            long n;
            unsafe
            {
                fixed (byte* p = buffer) n = Libc.read(_master, p, buffer.Length);
            }
            if (n <= 0) return;   // EIO once no slave is open any more, or closed by Dispose
            lock (_output) _output.Write(buffer, 0, (int)n);
        }
    }

    private int OpenSlave() => Libc.open(SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);

    /// <summary>
    /// Closes the test's own end; the master is closed once the reader has seen every terminal
    /// end closed (the manager and its services gone), so the reader never reads a reused descriptor.
    /// </summary>
    public void Dispose()
    {
        if (_slave >= 0) Libc.close(_slave);
        if (_reader.Join(TimeSpan.FromSeconds(10))) Libc.close(_master);
    }
}
