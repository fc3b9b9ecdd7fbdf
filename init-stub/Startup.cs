using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Everything tinyinit does before its loop, in order; the only place that may allocate.
/// Exit codes (s6 style): 0 done, 100 usage error, 111 system failure (no manager, no signalfd) —
/// but only when not booted by the kernel: a kernel-booted PID 1 never exits (the kernel would
/// panic). It ignores --help and usage errors, retries what failed, and if start-up itself
/// breaks (an exception, e.g. a libc symbol missing) it falls into <see cref="HaltLoop"/>.
/// </summary>
internal static unsafe class Startup
{
    public const int ExitUsage = 100, ExitSystemFailure = 111;
    /// <summary>TINYINIT_FAULT=startup makes start-up throw: the only way to show that path ends in the halt loop.</summary>
    public const string FaultVariable = "TINYINIT_FAULT";

    public static int Run(string[] args)
    {
        var kernelBoot = false;
        try
        {
            kernelBoot = KernelBoot.Detect();
            return Start(args, kernelBoot);
        }
        catch (Exception)
        {
            InitLog.Write("internal error while starting"u8);
            if (!kernelBoot) return ExitSystemFailure;
            HaltLoop.Forever(InitSignals.OpenSignalFd(), EmergencyShell.For(kernelBoot));
            return ExitSystemFailure;
        }
    }

    private static int Start(string[] args, bool kernelBoot)
    {
        if (Environment.GetEnvironmentVariable(FaultVariable) == "startup") throw new InvalidOperationException("injected start-up fault");
        var options = InitOptions.Parse(args, kernelBoot);
        switch (options.Action)
        {
            case InitAction.Help: InitLog.Print(1, Texts.Usage); return 0;
            case InitAction.Version: InitLog.Print(1, Texts.Version); return 0;
            case InitAction.UsageError:
                InitLog.Write(NativeStrings.Utf8(options.Error), "; try 'tinyinit --help'"u8);
                return ExitUsage;
        }
        var signalsReliable = InitSignals.BlockEverywhere(options.OwnArguments);
        var resume = options.ResumeFd >= 0 ? InitReexec.Read(options.ResumeFd) : null;
        if (options.ResumeFd >= 0 && resume == null) InitLog.Write("reexec-init: the resume record is unusable; starting afresh"u8);
        var scope = Libc.getpid() == 1 ? SystemScope.For(options.Root, kernelBoot) : null;
        if (scope != null && resume == null) BootDuties.Run(scope);
        StandardDescriptors.Ensure();       // after /dev is mounted: a kernel with an empty /dev gave us no console
        InitLog.UseNonBlockingDescriptor();
        foreach (var warning in options.Warnings) InitLog.Write(NativeStrings.Utf8(warning));
        // Filesystems are unmounted at the end only where that cannot reach a host: the real
        // system (confirmed now that /proc is there), or a root named with --root.
        FinalShutdown.Prepare(scope != null && (options.Root != null || KernelBoot.InInitialNamespace()) ? scope : null);
        var manager = ManagerLocator.Find(options.ManagerPath, out var tried);
        if (manager == null)
        {
            InitLog.Write("manager not found or not executable: "u8, NativeStrings.Utf8(tried),
                " (use --manager PATH or TINYINIT_MANAGER)"u8);
            // A kernel-booted PID 1 must not exit (the kernel would panic): it keeps reaping and
            // retrying once a second, and still obeys shutdown signals.
            if (!kernelBoot && resume == null) return ExitSystemFailure;
        }
        var signalFd = InitSignals.OpenSignalFd();
        while (signalFd < 0)
        {
            InitLog.Write("cannot open a signalfd (errno "u8, Libc.Errno, ")"u8);
            if (!kernelBoot && resume == null) return ExitSystemFailure;
            Libc.poll(null, 0, 1000);       // the kernel would panic if we exited: wait for resources
            signalFd = InitSignals.OpenSignalFd();
        }
        if (Libc.getpid() != 1) Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        if (kernelBoot) Libc.reboot(Libc.RB_DISABLE_CAD);     // ctrl-alt-del becomes SIGINT to us
        if (options.UserMode) UserMode.MarkManagerEnvironment();
        var launcher = new ManagerLauncher(manager ?? ManagerLocator.Preferred(options.ManagerPath), options.ManagerArguments, kernelBoot,
            resume?.StateFd ?? -1);
        var self = SelfPath.Find() ?? "/sbin/tinyinit";
        var image = new SelfImage(NativeStrings.Permanent(self), NativeStrings.PermanentVector([self, .. options.OwnArguments]));
        var watchdog = new ShutdownWatchdog(options.ShutdownTimeoutSeconds * 1000);
        // A re-executed image (perhaps another executable, elsewhere) keeps running the same manager.
        string[] reexecArguments = options.ManagerPath == null && manager != null ? [$"--manager={manager}", .. options.OwnArguments] : options.OwnArguments;
        var loop = new InitLoop(launcher, signalFd, image, signalsReliable, watchdog, new InitReexec(self, reexecArguments),
            EmergencyShell.For(kernelBoot))
        {
            UserMode = options.UserMode && Libc.getpid() != 1,
        };
        if (resume != null) loop.Resume(resume);
        return RunForever(loop);
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
