using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Exclusive console use (semantics.md §14): one holder, a FIFO queue intrusive in the records.
public sealed partial class ServiceSet
{
    private ServiceRecord? consoleHolder;
    private ServiceRecord? consoleQueueHead;
    private ServiceRecord? consoleQueueTail;

    /// <summary>The service holding the console, or null when the manager has it.</summary>
    public ServiceRecord? ConsoleHolder => consoleHolder;

    private static bool NeedsConsoleToStart(ServiceRecord service) =>
        (service.Description.Options & (ServiceOptions.StartsOnConsole | ServiceOptions.RunsOnConsole)) != 0;

    /// <summary>bgprocess degrades runs-on-console to starts-on-console (§9.4).</summary>
    private static bool RunsOnConsole(ServiceRecord service) =>
        (service.Description.Options & ServiceOptions.RunsOnConsole) != 0 && service.Type != ServiceType.BgProcess;

    /// <summary>True if the console was free and now belongs to the service; otherwise the
    /// service joins the queue.</summary>
    private bool TryTakeConsole(ServiceRecord service)
    {
        if (consoleHolder == null)
        {
            GiveConsole(service);
            return true;
        }
        service.WaitingForConsole = true;
        service.previousInConsoleQueue = consoleQueueTail;
        service.nextInConsoleQueue = null;
        if (consoleQueueTail != null) consoleQueueTail.nextInConsoleQueue = service;
        else consoleQueueHead = service;
        consoleQueueTail = service;
        return false;
    }

    private void GiveConsole(ServiceRecord service)
    {
        consoleHolder = service;
        service.HasConsole = true;
        system.ConsoleOwnerChanged(service);
    }

    private void ReleaseConsole(ServiceRecord service)
    {
        if (!service.HasConsole) return;
        service.HasConsole = false;
        consoleHolder = null;
        var next = consoleQueueHead;
        if (next == null)
        {
            system.ConsoleOwnerChanged(null);
            return;
        }
        RemoveFromConsoleQueue(next);
        GiveConsole(next);
        QueueTransition(next);   // it proceeds with its start action
    }

    private void RemoveFromConsoleQueue(ServiceRecord service)
    {
        if (!service.WaitingForConsole) return;
        service.WaitingForConsole = false;
        var previous = service.previousInConsoleQueue;
        var next = service.nextInConsoleQueue;
        if (previous != null) previous.nextInConsoleQueue = next; else consoleQueueHead = next;
        if (next != null) next.previousInConsoleQueue = previous; else consoleQueueTail = previous;
        service.previousInConsoleQueue = null;
        service.nextInConsoleQueue = null;
    }
}
