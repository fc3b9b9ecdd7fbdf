using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// The one place that knows which architecture's kernel layouts apply. NativeAOT compiles
/// CoreLib per target, where <see cref="RuntimeInformation.ProcessArchitecture"/> is a
/// constant: every branch on <see cref="IsX64"/> is folded at compile time for the runtime
/// identifier being published (linux-x64 or linux-arm64).
/// </summary>
public static class Architectures
{
    public static bool IsX64 => RuntimeInformation.ProcessArchitecture == Architecture.X64;
}
