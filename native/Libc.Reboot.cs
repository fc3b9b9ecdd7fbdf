using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// reboot(2). In a child PID namespace the kernel does not reboot: it ends the namespace and its
/// parent sees PID 1 killed by SIGHUP (restart) or SIGINT (halt, power-off).
/// </summary>
public static partial class Libc
{
    public const uint RB_AUTOBOOT = 0x01234567, RB_HALT_SYSTEM = 0xCDEF0123, RB_POWER_OFF = 0x4321FEDC,
        RB_KEXEC = 0x45584543, RB_DISABLE_CAD = 0;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int reboot(uint command);
}
