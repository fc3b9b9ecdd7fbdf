using System.Text;
using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>Test helpers: hex in and out, and a session over a fake backend that collects its output.</summary>
internal static class Wire
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static string ToHex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes) text.Append(text.Length == 0 ? "" : " ").Append(b.ToString("x2"));
        return text.ToString();
    }

    public static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>Feeds the request and returns (and consumes) everything the session queued.</summary>
    public static string Exchange(this ControlSession session, params byte[][] requests)
    {
        foreach (var request in requests) session.Receive(request);
        return session.TakeHex();
    }

    public static string TakeHex(this ControlSession session)
    {
        var hex = ToHex(session.PendingOutput);
        session.ConsumeOutput(session.PendingOutput.Length);
        return hex;
    }

    public static byte[] Take(this ControlSession session)
    {
        var bytes = session.PendingOutput.ToArray();
        session.ConsumeOutput(bytes.Length);
        return bytes;
    }

    public static ControlSession NewSession(this FakeBackend backend) => new(backend, backend.Hub);
}
