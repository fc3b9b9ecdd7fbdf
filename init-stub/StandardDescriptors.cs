using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Makes sure fds 0–2 are open (the kernel leaves them closed when it cannot open
/// /dev/console): otherwise the socket pair or signalfd could land on 2 and log lines would
/// be written into the link.
/// </summary>
internal static unsafe class StandardDescriptors
{
    public static void Ensure()
    {
        for (var fd = 0; fd <= 2; fd++)
        {
            if (Libc.fcntl(fd, Libc.F_GETFD, 0) >= 0) continue;
            int opened;
            fixed (byte* console = "/dev/console\0"u8) opened = Libc.open(console, Libc.O_RDWR | Libc.O_NOCTTY, 0);
            if (opened < 0)
                fixed (byte* devNull = "/dev/null\0"u8) opened = Libc.open(devNull, Libc.O_RDWR, 0);
            if (opened < 0) return;     // nothing to open: carry on, logs are lost
        }
    }
}
