using System.Net.Sockets;
using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;

namespace Tinyinit.Ctl.Tests;

/// <summary>
/// An in-process control server on a temporary Unix socket: the real <see cref="ControlSession"/>
/// over a <see cref="FakeBackend"/>. Connections are served one at a time on a background thread.
/// Pending (asynchronous) transitions complete once the reply has been written, so events follow
/// the ACK as with a real process. After a SHUTDOWN the connection is closed, as the daemon's exit would.
/// </summary>
internal sealed class FakeServer : IDisposable
{
    private readonly Socket _listener;
    private readonly Thread _thread;
    private readonly string _directory;
    private volatile bool _stopping;

    public FakeServer()
    {
        _directory = Directory.CreateTempSubdirectory("tinyctl-test-").FullName;
        Path = System.IO.Path.Combine(_directory, "control.socket");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(8);
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public FakeBackend Backend { get; } = new();
    public string Path { get; }

    /// <summary>When false, pending transitions never complete (a service that hangs in STARTING).</summary>
    public bool CompleteTransitions { get; set; } = true;

    private void Serve()
    {
        while (!_stopping)
        {
            try
            {
                if (!_listener.Poll(20_000, SelectMode.SelectRead)) continue;
                using var connection = _listener.Accept();
                ServeConnection(connection);
            }
            catch (Exception) when (_stopping) { return; }
            catch (SocketException) { }
            catch (ObjectDisposedException) { return; }
        }
    }

    private void ServeConnection(Socket connection)
    {
        ControlSession session;
        lock (Backend) session = new ControlSession(Backend, Backend.Hub);
        var buffer = new byte[4096];
        try
        {
            while (!_stopping)
            {
                if (connection.Poll(10_000, SelectMode.SelectRead))
                {
                    var n = connection.Receive(buffer);
                    if (n == 0) return;
                    lock (Backend) session.Receive(buffer.AsSpan(0, n));
                }
                Flush(connection, session);
                if (session.WantsClose) return;
                lock (Backend)
                {
                    if (Backend.ShutdownRequested != null) return;
                    if (CompleteTransitions && Backend.HasPending) Backend.CompletePending();
                }
                Flush(connection, session);
            }
        }
        catch (SocketException) { }
        finally
        {
            lock (Backend) session.Close();
        }
    }

    private static void Flush(Socket connection, ControlSession session)
    {
        while (session.PendingOutput.Length > 0)
        {
            var sent = connection.Send(session.PendingOutput);
            session.ConsumeOutput(sent);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        _thread.Join(2000);
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}
