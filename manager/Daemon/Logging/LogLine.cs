using System.Text;

namespace Tinyinit.Daemon.Logging;

/// <summary>A whole line for a stream sink (semantics.md §13.2): <c>tinyinitd: &lt;text&gt;\n</c> in UTF-8.</summary>
internal static class LogLine
{
    public static byte[] Utf8(string prefix, string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(prefix) + Encoding.UTF8.GetByteCount(text) + 1];
        var n = Encoding.UTF8.GetBytes(prefix, bytes);
        n += Encoding.UTF8.GetBytes(text, bytes.AsSpan(n));
        bytes[n] = (byte)'\n';
        return bytes;
    }
}
