using Tinyinit.Daemon.Core;
using Tinyinit.Daemon.HandOver;
using Tinyinit.Native;

namespace Tinyinit.Daemon;

// Activation sockets (socket-listen) outlive the manager image: across restart-manager they
// pass by descriptor number, across kill -9 as the copies parked with tinyinit. A service
// keeps the very socket its clients connect to, and nothing is re-bound while it runs.
internal sealed partial class ServiceManager
{
    /// <summary>The "sockets" section of a hand-over or crash record; null when no service has sockets open.</summary>
    private byte[]? SocketsSectionPayload(bool withDescriptors)
    {
        var services = new List<(string, IReadOnlyList<SocketsSection.Socket>)>();
        foreach (var service in _services.Services)
            if (service.SystemState is ServiceOsState { Sockets: { IsOpen: true } sockets })
                services.Add((service.Name, sockets.Paths
                    .Select((path, i) => new SocketsSection.Socket(path, withDescriptors ? sockets.Fds[i] : -1, sockets.ParkKeys[i]))
                    .ToList()));
        return services.Count == 0 ? null : SocketsSection.Encode(services);
    }

    /// <summary>Every activation socket's descriptor (kept open across the exec of a planned hand-over).</summary>
    private IEnumerable<int> ActivationSocketDescriptors() =>
        _services.Services
            .Select(s => s.SystemState is ServiceOsState { Sockets: { IsOpen: true } sockets } ? sockets.Fds : [])
            .SelectMany(fds => fds);

    /// <summary>
    /// Gives each service its predecessor's sockets back: by descriptor number after a planned
    /// hand-over, from tinyinit's parked copies after a crash. A service whose sockets did not
    /// all survive gets new ones at its next start.
    /// </summary>
    private void AdoptActivationSockets(HandOverRecord record, bool byNumber)
    {
        if (!record.Sections.TryGetValue(SocketsSection.Name, out var payload)) return;
        if (SocketsSection.Decode(payload) is not { } services)
        {
            HandOverLog.ActivationSocketsUnreadable(_handOverLog);
            return;
        }
        foreach (var (name, sockets) in services)
        {
            var fds = sockets.Select(s => byNumber ? s.Fd : s.ParkKey > 0 && _parked.TryTake(s.ParkKey, out var fd) ? fd : -1).ToArray();
            var keys = sockets.Select(s => s.ParkKey).ToArray();
            var service = _services.FindIncludingPlaceholders(name);
            if (service != null && fds.All(fd => fd >= 0))
            {
                ServiceOsState.Of(service).Sockets = ActivationSockets.Adopt([.. sockets.Select(s => s.Path)], fds, keys, _parked);
                continue;
            }
            if (service != null)
                HandOverLog.ActivationSocketsLost(_handOverLog, name);
            CloseSockets(fds, keys);
        }
    }

    /// <summary>The predecessor's sockets when its services could not be restored: nobody will lend them.</summary>
    private void DropActivationSockets(HandOverRecord record)
    {
        if (!record.Sections.TryGetValue(SocketsSection.Name, out var payload) || SocketsSection.Decode(payload) is not { } services) return;
        foreach (var (_, sockets) in services)
            CloseSockets([.. sockets.Select(s => s.Fd)], [.. sockets.Select(s => s.ParkKey)]);
    }

    private void CloseSockets(int[] fds, int[] keys)
    {
        foreach (var fd in fds)
            if (fd >= 0) Libc.close(fd);
        foreach (var key in keys) _parked.Release(key);
    }
}
