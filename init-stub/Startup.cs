using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Everything tinyinit does before its loop, in order; the only place that may allocate.
/// Exit codes (s6 style): 0 done, 100 usage error, 111 system failure (no manager, no signalfd).
/// </summary>
internal static unsafe class Startup
{
    public const int ExitUsage = 100, ExitSystemFailure = 111;

    public static int Run(string[] args)
    {
        var options = InitOptions.Parse(args);
        switch (options.Action)
        {
            case InitAction.Help: InitLog.Print(1, Texts.Usage); return 0;
            case InitAction.Version: InitLog.Print(1, Texts.Version); return 0;
            case InitAction.UsageError:
                InitLog.Write(NativeStrings.Utf8(options.Error), "; try 'tinyinit --help'"u8);
                return ExitUsage;
        }
        var signalsReliable = InitSignals.BlockEverywhere(args);
        StandardDescriptors.Ensure();
        var kernelBoot = KernelBoot.Detect();
        var manager = ManagerLocator.Find(options.ManagerPath, out var tried);
        if (manager == null)
        {
            InitLog.Write("manager not found or not executable: "u8, NativeStrings.Utf8(tried),
                " (use --manager PATH or TINYINIT_MANAGER)"u8);
            // A kernel-booted PID 1 must not exit (the kernel would panic): it keeps reaping and
            // retrying once a second, and still obeys shutdown signals.
            if (!kernelBoot) return ExitSystemFailure;
        }
        var signalFd = InitSignals.OpenSignalFd();
        while (signalFd < 0)
        {
            InitLog.Write("cannot open a signalfd (errno "u8, Libc.Errno, ")"u8);
            if (!kernelBoot) return ExitSystemFailure;
            Libc.poll(null, 0, 1000);       // the kernel would panic if we exited: wait for resources
            signalFd = InitSignals.OpenSignalFd();
        }
        if (Libc.getpid() != 1) Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        if (kernelBoot) Libc.reboot(Libc.RB_DISABLE_CAD);     // ctrl-alt-del becomes SIGINT to us
        if (options.UserMode) UserMode.MarkManagerEnvironment();
        var launcher = new ManagerLauncher(manager ?? ManagerLocator.Preferred(options.ManagerPath), options.ManagerArguments, kernelBoot);
        var self = SelfPath.Find() ?? "/sbin/tinyinit";
        var image = new SelfImage(NativeStrings.Permanent(self), NativeStrings.PermanentVector([self, .. args]));
        return RunForever(new InitLoop(launcher, signalFd, image, signalsReliable) { UserMode = options.UserMode && Libc.getpid() != 1 });
    }

    /// <summary>
    /// The loop throws nothing by construction; should that ever prove false, PID 1 logs and
    /// carries on (its state is consistent between iterations) rather than panic the kernel.
    /// </summary>
    private static int RunForever(InitLoop loop)
    {
        while (true)
        {
            try
            {
                return loop.Run();
            }
            catch (Exception)
            {
                InitLog.Write("internal error in the PID 1 loop; carrying on"u8);
                Libc.poll(null, 0, 100);
            }
        }
    }
}
