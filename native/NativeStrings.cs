using System.Runtime.InteropServices;
using System.Text;

namespace Tinyinit.Native;

/// <summary>
/// C strings and string vectors in native memory that is never freed: built once at start-up,
/// so later system calls (spawn, exec) pass them without allocating or pinning.
/// </summary>
public static unsafe class NativeStrings
{
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[] NullTerminated(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    public static byte* Permanent(string s)
    {
        var bytes = NullTerminated(s);
        var p = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        return p;
    }

    /// <summary>A NULL-terminated char*[] (argv, envp).</summary>
    public static byte** PermanentVector(IReadOnlyList<string> items)
    {
        var vector = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < items.Count; i++) vector[i] = Permanent(items[i]);
        vector[items.Count] = null;
        return vector;
    }
}
