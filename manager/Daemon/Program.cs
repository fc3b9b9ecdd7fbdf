using System.Text;
using Tinyinit.Daemon;
using Tinyinit.Native;
using Tinyinit.Daemon.Link;
using Tinyinit.Daemon.Os;
using Tinyinit.Daemon.Startup;
using Tinyinit.Protocol;
using Tinyinit.Protocol.InitLink;

// tinyinitd: block the handled signals in every thread (re-exec if needed), parse the command
// line, then hand over to the daemon's event loop. Nothing after start-up may end the process
// except the lifecycle rules of semantics.md §17.5.
if (ManagerSignals.BlockEverywhere(args) is { } problem)
    WriteErr($"tinyinitd: warning: {problem}; signals may be lost\n");

var linkFd = InitLinkClient.InheritedFd();
var kernelArgs = linkFd >= 0 && Libc.getuid() == 0 && Environment.GetEnvironmentVariable(InitLinkEnvironment.KernelArgsVariable) == "1";
// Invoked as `dinit` (a symlink), the manager is a drop-in for the reference (spec README).
var program = Path.GetFileName(Environment.GetCommandLineArgs() is [{ Length: > 0 } first, ..] ? first : "tinyinitd");
if (program != "dinit") program = "tinyinitd";
var options = DaemonOptionsParser.Parse(args, kernelArgs, out var error, program);
if (options == null)
{
    WriteErr(error + "\n");
    return 1;
}
if (options.ShowHelp)
{
    WriteOut(DaemonOptionsParser.HelpText(program));
    return 0;
}
if (options.ShowVersion)
{
    WriteOut(ReleaseVersion.Text(program, options.Personality.IsReference));
    return 0;
}
return ServiceManager.Run(options, linkFd);

static unsafe void WriteOut(string s) => Write(1, s);
static unsafe void WriteErr(string s) => Write(2, s);
static unsafe void Write(int fd, string s)
{
    var bytes = Encoding.UTF8.GetBytes(s);
    fixed (byte* p = bytes) Libc.write(fd, p, bytes.Length);
}
