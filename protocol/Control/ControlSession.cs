using System.Buffers.Binary;
using System.Text;

namespace Tinyinit.Protocol.Control;

/// <summary>
/// The server side of one control connection (control-protocol.md), as a pure state machine:
/// bytes in through <see cref="Receive"/>, bytes out through <see cref="PendingOutput"/> /
/// <see cref="ConsumeOutput"/>; no sockets, no threads.
///
/// Constraints:
/// * Nothing a client sends may throw out of <see cref="Receive"/>: malformed input queues
///   BADREQ and stops processing (<see cref="WantsClose"/> then says to close after flushing).
/// * Memory is bounded: buffered input is capped at <see cref="InputLimit"/>; while more than
///   <see cref="OutputHighWater"/> bytes wait to be written no further request is processed
///   (<see cref="WantsInput"/> is false: the daemon should stop reading); if unsolicited events
///   push the queue past <see cref="OutputHardLimit"/> the client is not reading and the session
///   closes, discarding its output.
/// * Requests are answered strictly in order; the events a request causes synchronously are
///   queued before its reply (the backend delivers them during the call).
/// * Backend exceptions never escape: the session replies OOM and closes, keeping the
///   exception in <see cref="Fault"/> for the daemon to log.
/// </summary>
public sealed partial class ControlSession
{
    public const int OutputHighWater = 16384;
    public const int OutputHardLimit = 1 << 20;
    public const int InputLimit = 64 * 1024;
    public const int MaxHandles = 1 << 20;

    private readonly IControlBackend _backend;
    private readonly ControlHub _hub;
    private readonly HandleTable _handles = new();
    private readonly OutputBuffer _output = new();
    private byte[] _input = new byte[RequestFraming.MaxRequestLength];
    private int _inputLength;
    private bool _listensToEnvironment;
    private bool _finished;
    private bool _closed;
    private bool _processing;

    /// <summary>A session with a private hub (tests, or a daemon with a single connection).</summary>
    public ControlSession(IControlBackend backend) : this(backend, new ControlHub()) { }

    public ControlSession(IControlBackend backend, ControlHub hub)
    {
        _backend = backend;
        _hub = hub;
        hub.Add(this);
    }

    /// <summary>What the peer may ask (decided by the daemon from its credentials); requests beyond it get NOTPERMITTED.</summary>
    public ControlAccess Access { get; init; } = ControlAccess.Full;

    /// <summary>Why a request beyond <see cref="Access"/> is refused, as the client will print it.</summary>
    public string RefusalReason { get; init; } = "permission denied";

    /// <summary>Bytes to write to the socket, oldest first.</summary>
    public ReadOnlySpan<byte> PendingOutput => _output.Pending;

    /// <summary>True once the connection should be closed as soon as <see cref="PendingOutput"/> is written (BADREQ, OOM, overflow).</summary>
    public bool WantsClose => _finished || _closed;

    /// <summary>False while the output backlog is above the high-water mark or the session is finished: the daemon should not read.</summary>
    public bool WantsInput => !WantsClose && _output.Length <= OutputHighWater;

    /// <summary>The backend exception that made the session reply OOM and close, if any.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Number of handles the connection holds.</summary>
    public int HandleCount => _handles.Count;

    /// <summary>Feeds bytes read from the socket, split anywhere.</summary>
    public void Receive(ReadOnlySpan<byte> data)
    {
        if (WantsClose || data.IsEmpty) return;
        if (_inputLength + data.Length > InputLimit)
        {
            // The client ignores back-pressure: it gets closed rather than buffered forever.
            CloseAbruptly();
            return;
        }
        if (_inputLength + data.Length > _input.Length)
            Array.Resize(ref _input, Math.Min(InputLimit, Math.Max(_input.Length * 2, _inputLength + data.Length)));
        data.CopyTo(_input.AsSpan(_inputLength));
        _inputLength += data.Length;
        ProcessInput();
    }

    /// <summary>Call after writing <paramref name="count"/> bytes of <see cref="PendingOutput"/>; resumes processing held-back requests.</summary>
    public void ConsumeOutput(int count)
    {
        _output.Consume(count);
        ProcessInput();
    }

    /// <summary>The daemon reports a service event (normally via <see cref="ControlHub.BroadcastServiceEvent"/>); one SERVICEEVENT5 + SERVICEEVENT pair per handle held.</summary>
    public void OnServiceEvent(object service, ServiceEventCode serviceEvent)
    {
        if (WantsClose) return;
        var handles = _handles.HandlesOf(service);
        if (handles.Count == 0) return;
        var status = SafeStatus(service);
        if (status is null) return;
        // Most recently allocated first, as the reference does (§4).
        for (var i = handles.Count - 1; i >= 0; i--)
            WriteEventPair(handles[i], serviceEvent, status.Value);
        CheckOverflow();
    }

    /// <summary>A global variable changed: ENVEVENT if this connection sent LISTENENV. <paramref name="assignment"/> is <c>NAME=VALUE</c> or <c>NAME</c>.</summary>
    public void OnEnvironmentEvent(ReadOnlySpan<byte> assignment, bool hadValue)
    {
        if (WantsClose || !_listensToEnvironment) return;
        // The length byte is 5 (header only) although data follows: clients depend on it (§7.3).
        _output.Byte((byte)InfoCode.EnvironmentEvent);
        _output.Byte(5);
        _output.Byte(hadValue ? (byte)1 : (byte)0);
        _output.UInt16((ushort)(assignment.Length + 1));
        _output.Bytes(assignment);
        _output.Byte(0);
        CheckOverflow();
    }

    /// <summary>Releases every handle and listener; the session ignores all further input and events.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        _handles.Clear();
        _listensToEnvironment = false;
        _inputLength = 0;
        _hub.Remove(this);
    }

    internal bool HoldsHandleFor(object service) => !_closed && _handles.Holds(service);

    internal void ForgetService(object service) => _handles.ReleaseAll(service);

    private void ProcessInput()
    {
        // Re-entrancy guard: a backend call may make the daemon flush output (ConsumeOutput).
        if (_processing) return;
        _processing = true;
        try
        {
            var consumed = 0;
            while (!WantsClose && _output.Length <= OutputHighWater && consumed < _inputLength)
            {
                var length = RequestFraming.Length(_input.AsSpan(consumed, _inputLength - consumed));
                if (length == RequestFraming.Invalid) { BadRequest(); break; }
                if (length == RequestFraming.NeedMoreBytes || length > _inputLength - consumed) break;
                var request = _input.AsSpan(consumed, length).ToArray();
                consumed += length;
                Dispatch(request);
            }
            ShiftInput(consumed);
        }
        finally
        {
            _processing = false;
        }
    }

    private void ShiftInput(int consumed)
    {
        if (_closed) { _inputLength = 0; return; }
        if (consumed == 0) return;
        _input.AsSpan(consumed, _inputLength - consumed).CopyTo(_input);
        _inputLength -= consumed;
    }

    private void Dispatch(byte[] request)
    {
        if (!Access.Allows((RequestCode)request[0]))
        {
            NotPermitted();
            return;
        }
        try
        {
            Handle(request);
        }
        catch (Exception e)
        {
            Fault = e;
            _output.Code(ReplyCode.OutOfMemory);
            _finished = true;
        }
    }

    /// <summary>A connection with no access at all is closed after the answer (the client reads it before the close).</summary>
    private void NotPermitted()
    {
        _output.Bytes(ControlAccessRules.NotPermittedPacket(RefusalReason));
        if (Access == ControlAccess.None) _finished = true;
    }

    private void BadRequest()
    {
        _output.Code(ReplyCode.BadRequest);
        _finished = true;
    }

    private void CheckOverflow()
    {
        if (_output.Length > OutputHardLimit) CloseAbruptly();
    }

    private void CloseAbruptly()
    {
        _output.Clear();
        Close();
    }

    private ServiceStatus? SafeStatus(object service)
    {
        try
        {
            return _backend.GetStatus(service);
        }
        catch (Exception e)
        {
            Fault = e;
            return null;
        }
    }

    private void WriteEventPair(uint handle, ServiceEventCode serviceEvent, in ServiceStatus status)
    {
        WriteEvent(InfoCode.ServiceEvent5, 7 + StatusBuffer.SizeV5, 5, handle, serviceEvent, status);
        WriteEvent(InfoCode.ServiceEvent, 7 + StatusBuffer.SizeV1, 1, handle, serviceEvent, status);
    }

    private void WriteEvent(InfoCode code, int length, int version, uint handle, ServiceEventCode serviceEvent, in ServiceStatus status)
    {
        _output.Byte((byte)code);
        _output.Byte((byte)length);
        _output.UInt32(handle);
        _output.Byte((byte)serviceEvent);
        StatusBuffer.Write(_output.Reserve(StatusBuffer.SizeOf(version)), status, version);
    }

    private static uint ReadHandle(ReadOnlySpan<byte> request, int offset) =>
        BinaryPrimitives.ReadUInt32LittleEndian(request[offset..]);

    private static string DecodeName(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
