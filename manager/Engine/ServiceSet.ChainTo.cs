using Tinyinit.Loader;

namespace Tinyinit.Engine;

// chain-to (semantics.md §15).
public sealed partial class ServiceSet
{
    private void MaybeChain(ServiceRecord service, bool willRestart)
    {
        var chainTo = service.Description.ChainTo;
        if (string.IsNullOrEmpty(chainTo) || IsShuttingDown) return;
        bool always = (service.Description.Options & ServiceOptions.AlwaysChain) != 0;
        bool finishedByItself = service.StopReason == StopReason.Terminated
            && WaitStatus.ExitedCleanly(service.ExitStatus) && !willRestart;
        if (!always && !finishedByItself) return;
        var next = system.LoadService(chainTo, out var error);
        if (next == null)
        {
            system.Log(LogLevel.Error, $"Couldn't chain to service {chainTo}: couldn't load {chainTo}: {error}");
            return;
        }
        StartExplicit(next);
    }
}
