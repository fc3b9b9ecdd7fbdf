using Tinyinit.Daemon.Os;
using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Daemon.Tests;

/// <summary>
/// The C launcher as the JIT loads it (libtinyinit_launcher.so beside the assemblies): the
/// C# request matches the C struct, and real children get what was asked or report the step.
/// </summary>
public unsafe class LauncherTests
{
    [Test]
    public void TheCSharpRequestHasTheCLayout() =>
        Assert.That(sizeof(LaunchRequest), Is.EqualTo(Launcher.NativeRequestSize()));

    [Test]
    public void AChildRunsInItsDirectoryWithItsEnvironmentAndOnlyTheMappedDescriptors()
    {
        var dir = Directory.CreateTempSubdirectory("tinyinit-launcher.").FullName;
        var output = Path.Combine(dir, "out");
        var fd = Libc.open(output, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_CLOEXEC, 0x1a4);
        try
        {
            var result = ProcessSpawner.Spawn(new SpawnRequest
            {
                Argv = ["sh", "-c", "echo \"$(pwd) $GREETING $LISTEN_PID $$\"; ls /proc/self/fd"],
                Environment = ["PATH=/usr/bin:/bin", "GREETING=hello", "LISTEN_PID=stale"],
                WorkingDirectory = dir,
                FdMappings = [(fd, 1)],
                SetListenPid = true,
            });
            Assert.That(result.Succeeded, Is.True, $"errno {result.Errno} at stage {result.Stage}");
            Assert.That(WaitForExit(result.Pid), Is.EqualTo(0));
            var lines = File.ReadAllLines(output);
            Assert.That(lines[0], Is.EqualTo($"{dir} hello {result.Pid} {result.Pid}"));
            // ls itself opens one descriptor (3) to read the directory; nothing else is inherited.
            Assert.That(lines.Skip(1), Is.EquivalentTo(new[] { "0", "1", "2", "3" }));
        }
        finally
        {
            Libc.close(fd);
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void AMissingDirectoryFailsTheLaunchAtChangingDirectory()
    {
        var result = ProcessSpawner.Spawn(new SpawnRequest
        {
            Argv = ["true"],
            Environment = ["PATH=/usr/bin:/bin"],
            WorkingDirectory = "/nonexistent/launcher/dir",
        });
        Assert.That((result.Pid, result.Errno, ExecStage.Describe(result.Stage)), Is.EqualTo((0, Libc.ENOENT, "changing directory")));
    }

    [Test]
    public void AProgramNotOnTheServicesPathFailsAtExecutingCommand()
    {
        // `sh` exists in /bin, but the service's own PATH (not the manager's) is searched.
        var result = ProcessSpawner.Spawn(new SpawnRequest { Argv = ["sh"], Environment = ["PATH=/nonexistent"] });
        Assert.That((result.Pid, result.Errno, ExecStage.Describe(result.Stage)), Is.EqualTo((0, Libc.ENOENT, "executing command")));
    }

    private static int WaitForExit(int pid)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0 && Libc.Errno == Libc.EINTR) { }
        return (status >> 8) & 0xff;
    }
}
