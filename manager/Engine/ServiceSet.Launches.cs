using Tinyinit.Loader;

namespace Tinyinit.Engine;

// Launch outcomes (control-protocol.md, "Process launches complete asynchronously"). The
// reference forks and reads the exec status from a pipe on a later turn of its event loop, and
// clients depend on that: the reference dinitctl hangs when FAILEDSTART/STOPPED precede the
// ACK of its START. posix_spawn reports exec success or failure at once, so the engine queues
// what the outcome means (STARTED for a plain process, the failure handling otherwise) and acts
// on it only when the daemon's loop calls CompleteLaunches, after it sent the replies.
public sealed partial class ServiceSet
{
    private readonly List<PendingLaunch> launchOutcomes = [];
    private int launchTurn;

    /// <summary>Launch outcomes wait for <see cref="CompleteLaunches"/>.</summary>
    public bool HasLaunchOutcomes => launchOutcomes.Count > 0;

    /// <summary>
    /// Acts on the outcomes of the launches made before this call: the daemon calls it once per
    /// loop turn, after flushing the replies of that turn. Launches made while acting wait for
    /// the next call.
    /// </summary>
    public void CompleteLaunches()
    {
        changeCount++;
        int turn = ++launchTurn;
        while (launchOutcomes.Count > 0 && launchOutcomes[0].Turn < turn)
        {
            var outcome = launchOutcomes[0];
            launchOutcomes.RemoveAt(0);
            Complete(outcome);
            ProcessQueues();
        }
    }

    /// <summary>Launches a command. Returns the pid, or 0 when it could not be launched: the
    /// failure is acted on with the launch outcomes.</summary>
    private int Launch(ServiceRecord service, CommandKind kind)
    {
        int pid = system.Spawn(service, kind, out var stage);
        if (pid > 0)
        {
            byPid[pid] = service;
            return pid;
        }
        launchOutcomes.Add(new PendingLaunch(service, kind, 0, stage, -pid, launchTurn));
        return 0;
    }

    /// <summary>A plain process service is STARTED once its exec is confirmed — on a later turn.</summary>
    private void StartedOnExec(ServiceRecord service, int pid) =>
        launchOutcomes.Add(new PendingLaunch(service, CommandKind.Start, pid, "", 0, launchTurn));

    /// <summary>The process exits before its launch outcome was acted on: as in the reference,
    /// which reads the exec status before it handles the exit, the outcome comes first.</summary>
    private void CompleteLaunchBeforeExit(ServiceRecord service, int pid)
    {
        if (launchOutcomes.Count == 0) return;
        int index = launchOutcomes.FindIndex(o => o.Service == service && o.Pid == pid);
        if (index < 0) return;
        var outcome = launchOutcomes[index];
        launchOutcomes.RemoveAt(index);
        Complete(outcome);
        ProcessQueues();   // settle the start (dependents included) before the exit is handled
    }

    /// <summary>A failed launch of the service is still to be acted on: stopping waits for it,
    /// like the reference waits for a pending exec status.</summary>
    private bool LaunchFailurePending(ServiceRecord service)
    {
        foreach (var outcome in launchOutcomes)
            if (outcome.Service == service && outcome.Failed) return true;
        return false;
    }

    private void Complete(PendingLaunch outcome)
    {
        var service = outcome.Service;
        if (!outcome.Failed)
        {
            if (service.State == ServiceState.Starting && service.Pid == outcome.Pid) Started(service);
            return;
        }
        system.Log(LogLevel.Error, $"{service.Name}: execution failed - {outcome.Stage}: {system.DescribeError(outcome.Errno)}");
        if (service.Type == ServiceType.Scripted) ScriptedLaunchFailed(service, outcome);
        else if (outcome.Kind == CommandKind.Start) ProcessLaunchFailed(service, outcome);
        else StopCommandLaunchFailed(service);
    }

    private static void RecordExecFailure(ServiceRecord service, PendingLaunch outcome)
    {
        service.ExecFailureStage = outcome.Stage;
        service.ExecFailureErrno = outcome.Errno;
        service.StopReason = StopReason.ExecFailed;
    }

    private void ScriptedLaunchFailed(ServiceRecord service, PendingLaunch outcome)
    {
        if (outcome.Kind == CommandKind.Start)
        {
            if (service.State != ServiceState.Starting || service.Pid != 0) return;
            RecordExecFailure(service, outcome);
            service.State = ServiceState.Stopping;
            FailedToStart(service, dependencyFailed: false, immediateStop: true);
        }
        else if (service.State == ServiceState.Stopping && service.StopCommandPid == 0)
        {
            Stopped(service);
        }
    }

    private void ProcessLaunchFailed(ServiceRecord service, PendingLaunch outcome)
    {
        if (service.Pid != 0) return;
        switch (service.State)
        {
            case ServiceState.Starting:
                RecordExecFailure(service, outcome);
                service.State = ServiceState.Stopping;
                FailedToStart(service, dependencyFailed: false, immediateStop: true);
                break;
            case ServiceState.Started when service.doingSmoothRecovery:
                RecordExecFailure(service, outcome);
                service.doingSmoothRecovery = false;
                UnrecoverableStop(service);
                break;
            case ServiceState.Stopping when !service.WaitingForDependencies:
                // A stop arrived while the relaunch was pending: its bring-down waited for this.
                BringDownProcess(service);
                break;
        }
    }

    /// <summary>The stop command could not be launched: fall back to the term signal (§9.3).</summary>
    private void StopCommandLaunchFailed(ServiceRecord service)
    {
        if (service.State != ServiceState.Stopping || service.StopCommandPid != 0 || service.Pid == 0) return;
        SendTermSignal(service, killIfNone: true);
        AwaitProcessStop(service);
    }
}
