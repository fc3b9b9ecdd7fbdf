using System.Runtime.InteropServices;
using System.Text;

namespace Tinyinit.Native;

/// <summary>A managed path as a NUL-terminated UTF-8 copy in native memory, for one call.</summary>
internal readonly unsafe struct Utf8Path : IDisposable
{
    public readonly byte* Pointer;
    public bool IsValid => Pointer != null;

    public Utf8Path(string path)
    {
        if (path.Contains('\0')) return;
        var length = Encoding.UTF8.GetByteCount(path);
        Pointer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(path, new Span<byte>(Pointer, length));
        Pointer[length] = 0;
    }

    /// <summary>The result of a call refused for an embedded NUL: -1 with errno ENOENT.</summary>
    public int Fail()
    {
        Marshal.SetLastPInvokeError(Libc.ENOENT);
        return -1;
    }

    public void Dispose()
    {
        if (Pointer != null) NativeMemory.Free(Pointer);
    }
}
