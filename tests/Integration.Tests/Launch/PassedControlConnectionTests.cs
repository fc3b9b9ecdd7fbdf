using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Launch;

/// <summary>
/// <c>options = pass-cs-fd</c> (issue 12, semantics.md §9.6 step 4): the process gets a control
/// connection of its own at the descriptor named by DINIT_CS_FD, and <c>tinyctl
/// --use-passed-cfd</c> run by the service drives the manager through it.
/// </summary>
[TestFixture, NonParallelizable]
public class PassedControlConnectionTests
{
    [Test]
    public void AServiceDrivesTheManagerThroughItsPassedConnection()
    {
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinit-csfd.").FullName;
        var tinyctl = Binaries.Path_("tinyctl");
        // No -p: tinyctl's own socket path does not exist here, so only the passed connection can work.
        var script = $"echo DINIT_CS_FD=$$DINIT_CS_FD > {work}/cs.env; " +
                     $"{tinyctl} --use-passed-cfd start other > {work}/start.out 2>&1; " +
                     $"{tinyctl} --use-passed-cfd list > {work}/list.tmp 2>&1; mv {work}/list.tmp {work}/list.out; " +
                     "exec /bin/sleep 3011";
        using var manager = StandaloneManager.StartIn(work, new Dictionary<string, string>
        {
            ["boot"] = "type = internal\n",
            ["client"] = $"type = process\noptions = pass-cs-fd\ncommand = /bin/sh -c \"{script}\"\n",
            ["other"] = "type = process\ncommand = /bin/sleep 3012\n",
        }).WaitReady();
        Assert.That(manager.Ctl("start", "client").ExitCode, Is.EqualTo(0), manager.Output);

        var listing = Path.Combine(work, "list.out");
        Assert.That(Poll.Until(() => File.Exists(listing)), manager.Output);
        Assert.That(File.ReadAllText(Path.Combine(work, "cs.env")).Trim(), Is.EqualTo("DINIT_CS_FD=3"), "the first descriptor after 0-2");
        Assert.That(File.ReadAllText(Path.Combine(work, "start.out")), Does.Contain("Service 'other' started."));
        Assert.That(File.ReadAllText(listing), Does.Contain("] other (pid: ").And.Contain("] client (pid: "), File.ReadAllText(listing));
        Assert.That(manager.Ctl("is-started", "other").ExitCode, Is.EqualTo(0), "the start requested through the passed connection took effect");
    }
}
