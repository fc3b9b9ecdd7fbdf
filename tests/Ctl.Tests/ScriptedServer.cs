using System.Net.Sockets;

namespace Tinyinit.Ctl.Tests;

/// <summary>
/// A server that answers with canned bytes: after each read of a client request it sends the next
/// reply of the script (then closes when the script is exhausted). For protocol-error paths a
/// real session never produces.
/// </summary>
internal sealed class ScriptedServer : IDisposable
{
    private readonly Socket _listener;
    private readonly Thread _thread;
    private readonly string _directory;

    public ScriptedServer(params byte[][] replies)
    {
        _directory = Directory.CreateTempSubdirectory("tinyctl-scripted-").FullName;
        Path = System.IO.Path.Combine(_directory, "s.socket");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(1);
        _thread = new Thread(() => Serve(replies)) { IsBackground = true };
        _thread.Start();
    }

    public string Path { get; }

    private void Serve(byte[][] replies)
    {
        try
        {
            using var connection = _listener.Accept();
            var buffer = new byte[4096];
            foreach (var reply in replies)
            {
                if (connection.Receive(buffer) == 0) return;
                connection.Send(reply);
            }
            connection.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _thread.Join(2000);
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}
