using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.Tests.Control.Fakes;
using static Tinyinit.Protocol.Tests.Control.Wire;

namespace Tinyinit.Protocol.Tests.Control;

/// <summary>Every request type against the fake backend; replies byte-exact (control-protocol.md §6).</summary>
public class SessionRequestTests
{
    private FakeBackend _backend = null!;
    private ControlSession _session = null!;

    [SetUp]
    public void SetUp()
    {
        _backend = new FakeBackend();
        _session = _backend.NewSession();
    }

    private string Send(string hex) => _session.Exchange(Hex(hex));

    [Test]
    public void QueryVersionAnswersMinimumOneCurrentSeven() =>
        Assert.That(Send("00"), Is.EqualTo("3a 01 00 07 00"));

    [Test]
    public void LoadServiceGivesHandleZeroThenTheNextFreeHandle()
    {
        _backend.OnDisk["mpd"] = new FakeService("mpd");
        Assert.That(Send("02 03 00 6d 70 64"), Is.EqualTo("3b 00 00 00 00 00 00"));
        Assert.That(Send("02 03 00 6d 70 64"), Is.EqualTo("3b 00 01 00 00 00 00"), "every load allocates a new handle");
        Assert.That(Send("17 00 00 00 00"), Is.EqualTo("32"), "CLOSEHANDLE 0");
        Assert.That(Send("01 03 00 6d 70 64"), Is.EqualTo("3b 00 00 00 00 00 00"), "smallest free handle is reused");
    }

    [TestCase(LoadFailure.NotFound, "3c")]
    [TestCase(LoadFailure.DescriptionError, "47")]
    [TestCase(LoadFailure.LoadError, "48")]
    public void LoadFailuresMapToTheirReplies(LoadFailure failure, string reply)
    {
        if (failure != LoadFailure.NotFound) _backend.LoadFailures["x"] = failure;
        Assert.That(Send("02 01 00 78"), Is.EqualTo(reply));
        Assert.That(_session.WantsClose, Is.False);
    }

    [Test]
    public void FindServiceNeverLoads()
    {
        _backend.OnDisk["x"] = new FakeService("x");
        Assert.That(Send("01 01 00 78"), Is.EqualTo("3c"));
        Assert.That(_backend.Loaded, Is.Empty);
    }

    [TestCase("01 01 00 2e")]
    [TestCase("02 01 00 40")]
    [TestCase("02 00 00 00")]
    [TestCase("11 fe 03 00")]
    [TestCase("1e")]
    [TestCase("64")]
    [TestCase("0a 07")]
    [TestCase("0a 00")]
    [TestCase("18 01")]
    [TestCase("11 02 00 3d 78")]
    [TestCase("03 00 09 00 00 00")]
    [TestCase("17 09 00 00 00")]
    public void InvalidRequestsGetBadRequestAndNothingAfterIsAnswered(string request)
    {
        Assert.That(_session.Exchange(Hex(request), Hex("00")), Is.EqualTo("34"));
        Assert.That(_session.WantsClose, Is.True);
        Assert.That(_session.Exchange(Hex("00")), Is.Empty);
    }

    [Test]
    public void StartOfAProcessServiceAcksAndTheStartedEventFollowsAsAPair()
    {
        var mpd = _backend.Add("mpd");
        Send("02 03 00 6d 70 64");
        Assert.That(Send("03 00 00 00 00 00"), Is.EqualTo("32"));
        _backend.CompletePending();
        var events = _session.Take();
        Assert.That(events, Has.Length.EqualTo(21 + 17));
        Assert.That(ToHex(events.AsSpan(0, 7)), Is.EqualTo("65 15 00 00 00 00 00"));
        Assert.That(ToHex(events.AsSpan(21, 7)), Is.EqualTo("64 11 00 00 00 00 00"));
        Assert.That(mpd.Status.State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void SynchronousStartQueuesItsEventsBeforeTheReply()
    {
        _backend.Add("int", synchronous: true);
        Send("01 03 00 69 6e 74");
        var output = _session.Exchange(Hex("03 00 00 00 00 00"));
        Assert.That(output, Does.StartWith("65 15 00 00 00 00 00"));
        Assert.That(output, Does.EndWith("3d"), "ALREADYSS after the events");
    }

    [Test]
    public void PreAckComesFirstAndNotForABadHandle()
    {
        _backend.Add("a", ServiceState.Started, synchronous: true);
        Send("01 01 00 61");
        var output = Send("04 86 00 00 00 00");
        Assert.That(output, Does.StartWith("4f 65 15 00 00 00 00 01"), "PREACK, then the STOPPED event");
        Assert.That(output, Does.EndWith("3d"));
        Assert.That(Send("04 80 07 00 00 00"), Is.EqualTo("34"));
    }

    [Test]
    public void TheSpecExchangeOfDinitctlStart()
    {
        // §8.1: QUERYVERSION, LOADSERVICE, QUERYSERVICEDSCDIR, SERVICESTATUS6, STARTSERVICE.
        _backend.OnDisk["mpd"] = new FakeService("mpd") { Directory = "/etc/tinyinit.d" };
        Assert.That(Send("00"), Is.EqualTo("3a 01 00 07 00"));
        Assert.That(Send("02 03 00 6d 70 64"), Is.EqualTo("3b 00 00 00 00 00 00"));
        Assert.That(Send("16 00 00 00 00 00"), Is.EqualTo("4d 0f 00 00 00 " + ToHex(Ascii("/etc/tinyinit.d"))));
        Assert.That(Send("1c 00 00 00 00"), Has.Length.EqualTo((2 + 30) * 3 - 1));
        Assert.That(Send("03 00 00 00 00 00"), Is.EqualTo("32"));
        _backend.CompletePending();
        var events = _session.Take();
        Assert.That(ToHex(events.AsSpan(0, 7)), Is.EqualTo("65 15 00 00 00 00 00"));
        Assert.That(ToHex(events.AsSpan(21, 7)), Is.EqualTo("64 11 00 00 00 00 00"));
        Assert.That(events[7 + 2] & (byte)StatusFlags.HasPid, Is.Not.Zero, "the STARTED snapshot shows the process");
    }

    [Test]
    public void RestartWithPreAckOfAServiceThatIsNotStarted()
    {
        // §8.3: PREACK, then NAK (service was not started).
        _backend.Add("a");
        Send("01 01 00 61");
        Assert.That(Send("04 86 00 00 00 00"), Is.EqualTo("4f 33"));
    }

    [Test]
    public void GentleStopWithDependentsAllocatesAHandlePerDependent()
    {
        var critical = _backend.Add("critical", ServiceState.Started);
        critical.Dependents.AddRange([_backend.Add("intermediary", ServiceState.Started), _backend.Add("boot", ServiceState.Started)]);
        Send("01 08 00 63 72 69 74 69 63 61 6c");
        Assert.That(Send("04 02 00 00 00 00"), Is.EqualTo("41 02 00 00 00 00 00 00 00 01 00 00 00 02 00 00 00"));
        Assert.That(Send("0f 00 01 00 00 00"), Is.EqualTo("42 00 0c 00 69 6e 74 65 72 6d 65 64 69 61 72 79"));
        Assert.That(critical.Status.State, Is.EqualTo(ServiceState.Started), "nothing else done");
    }

    [Test]
    public void StartStopRepliesComeFromTheBackend()
    {
        var a = _backend.Add("a");
        Send("01 01 00 61");
        a.PinnedStopped = true;
        Assert.That(Send("03 01 00 00 00 00"), Is.EqualTo("43"), "PINNEDSTOPPED");
        a.PinnedStopped = false;
        _backend.ShuttingDown = true;
        Assert.That(Send("03 00 00 00 00 00"), Is.EqualTo("45"), "SHUTTINGDOWN");
        Assert.That(Send("05 00 00 00 00 00"), Is.EqualTo("33"), "WAKE without dependents: NAK");
        Assert.That(Send("06 00 00 00 00 00"), Is.EqualTo("3d"), "RELEASE of a stopped service");
        Assert.That(Send("04 04 00 00 00 00"), Is.EqualTo("45"), "restart while shutting down");
    }

    [Test]
    public void ListServicesSendsOneEntryPerServiceThenListDone()
    {
        _backend.Add("ab", ServiceState.Started);
        _backend.Add("c");
        var v5 = Send("19");
        Assert.That(v5, Is.EqualTo("3e 02 02 02 00 00 00 00 00 00 00 00 00 00 00 00 61 62 " +
                                   "3e 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 63 3f"));
        var v1 = Send("08");
        Assert.That(v1, Is.EqualTo("3e 02 02 02 00 00 00 00 00 00 00 00 61 62 3e 01 00 00 00 00 00 00 00 00 00 00 63 3f"));
    }

    [Test]
    public void ListTruncatesNamesOf256BytesOrMoreWithALengthByteOfZero()
    {
        _backend.Add("t@" + new string('x', 298));
        var reply = _session.Exchange(Hex("19"));
        var bytes = Hex(reply);
        Assert.That(bytes[1], Is.Zero);
        Assert.That(bytes, Has.Length.EqualTo(2 + 14 + 256 + 1));
    }

    [Test]
    public void StatusRequestsNakAnUnknownHandleAndKeepTheConnection()
    {
        foreach (var code in new[] { "12", "1a", "1c" })
            Assert.That(Send(code + " 05 00 00 00"), Is.EqualTo("33"));
        Assert.That(Send("0f 00 05 00 00 00 16 00 05 00 00 00 13 05 00 00 00 01 14 00 05 00 00 00 15 09 00 00 00 05 00 00 00"),
            Is.EqualTo("33 33 33 33 33"));
        Assert.That(_session.WantsClose, Is.False);
    }

    [Test]
    public void StatusRepliesUseTheRequestedLayout()
    {
        _backend.Add("a", ServiceState.Started).Status = new ServiceStatus(ServiceState.Started, ServiceState.Started,
            StatusFlags.HasPid | StatusFlags.ExplicitlyActivated, Pid: 0x0102, DescriptionSeconds: 3);
        Send("01 01 00 61");
        Assert.That(Send("12 00 00 00 00"), Is.EqualTo("46 00 02 02 18 00 00 00 02 01 00 00"));
        Assert.That(Send("1a 00 00 00 00"), Is.EqualTo("46 00 02 02 18 00 00 00 02 01 00 00 00 00 00 00"));
        Assert.That(Send("1c 00 00 00 00"), Is.EqualTo("46 00 02 02 18 00 00 00 02 01 00 00 00 00 00 00 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
    }

    [Test]
    public void ShutdownAcceptsTypesOneToSix()
    {
        Assert.That(Send("0a 03"), Is.EqualTo("32"));
        Assert.That(_backend.ShutdownRequested, Is.EqualTo(ShutdownType.PowerOff));
    }

    [Test]
    public void DependencyRequests()
    {
        _backend.Add("a");
        _backend.Add("b");
        Send("01 01 00 61 01 01 00 62");
        Assert.That(Send("0b 00 00 00 00 00 01 00 00 00"), Is.EqualTo("32"), "ADD_DEP a→b");
        Assert.That(Send("0b 00 01 00 00 00 00 00 00 00"), Is.EqualTo("33"), "b→a would be a cycle");
        Assert.That(Send("0c 02 00 00 00 00 01 00 00 00"), Is.EqualTo("33"), "no waits-for link to remove");
        Assert.That(Send("0c 00 00 00 00 00 01 00 00 00"), Is.EqualTo("32"));
        Assert.That(Send("0e 02 00 00 00 00 01 00 00 00"), Is.EqualTo("32"), "ENABLESERVICE");
        Assert.That(Send("1d 02 00 00 00 00 01 00 00 00"), Does.StartWith("46 01 00 00"), "V7: the link existed");
    }

    [Test]
    public void DependencyOnTheSameServiceOrWithAnInvalidTypeIsABadRequestAndChangesNothing()
    {
        var a = _backend.Add("a");
        _backend.Add("b");
        Send("01 01 00 61 01 01 00 61 01 01 00 62");
        Assert.That(Send("0b 00 00 00 00 00 01 00 00 00"), Is.EqualTo("34"), "two handles of one service");
        SetUp();
        a = _backend.Add("a");
        _backend.Add("b");
        Send("01 01 00 61 01 01 00 62");
        Assert.That(Send("0b 04 00 00 00 00 01 00 00 00"), Is.EqualTo("34"), "BEFORE is not a valid wire type");
        Assert.That(a.Links, Is.Empty, "deliberately not executed (§9.1)");
    }

    [Test]
    public void UnloadReleasesEveryHandleOfTheService()
    {
        _backend.Add("a");
        Send("01 01 00 61 01 01 00 61");
        Assert.That(Send("09 00 00 00 00"), Is.EqualTo("32"));
        Assert.That(_session.HandleCount, Is.Zero);
        Assert.That(Send("12 01 00 00 00"), Is.EqualTo("33"), "the other handle is now unknown, not dangling");
    }

    [Test]
    public void UnloadAndReloadAreRefusedWhileAnotherConnectionListens()
    {
        _backend.Add("a");
        var other = _backend.NewSession();
        other.Exchange(Hex("01 01 00 61"));
        Send("01 01 00 61");
        Assert.That(Send("09 00 00 00 00"), Is.EqualTo("33"));
        Assert.That(Send("10 00 00 00 00"), Is.EqualTo("33"));
        Assert.That(_session.HandleCount, Is.EqualTo(1), "handle kept after the listener NAK");
        other.Close();
        Assert.That(Send("10 00 00 00 00"), Is.EqualTo("32"));
        Assert.That(_session.HandleCount, Is.Zero, "handle released by RELOAD");
    }

    [Test]
    public void SetEnvBroadcastsToListenersWithTheEventBeforeTheAck()
    {
        var listener = _backend.NewSession();
        Assert.That(listener.Exchange(Hex("1b")), Is.EqualTo("32"));
        Send("1b");
        Assert.That(Send("11 0c 00 4e 45 57 56 41 52 3d 68 65 6c 6c 6f"),
            Is.EqualTo("66 05 00 0d 00 4e 45 57 56 41 52 3d 68 65 6c 6c 6f 00 32"));
        Assert.That(listener.TakeHex(), Is.EqualTo("66 05 00 0d 00 4e 45 57 56 41 52 3d 68 65 6c 6c 6f 00"));
        Assert.That(Send("11 06 00 4e 45 57 56 41 52"), Is.EqualTo("66 05 01 07 00 4e 45 57 56 41 52 00 32"), "unset, had a value");
        Assert.That(_backend.Environment, Does.Not.ContainKey("NEWVAR"));
    }

    [Test]
    public void GetAllEnvSendsNulTerminatedEntries()
    {
        _backend.Environment["A"] = "1";
        Assert.That(Send("18 00"), Is.EqualTo("4e 04 00 00 00 00 00 00 00 41 3d 31 00"));
    }

    [Test]
    public void TriggerCatlogSignalAndDirectory()
    {
        var t = _backend.Add("t");
        t.Triggered = true;
        t.Log = Ascii("hi\n");
        t.Directory = "svc";
        Send("01 01 00 74");
        Assert.That(Send("13 00 00 00 00 01"), Is.EqualTo("32"));
        Assert.That(t.TriggerValue, Is.True);
        Assert.That(Send("14 01 00 00 00 00"), Is.EqualTo("49 00 03 00 00 00 68 69 0a"));
        Assert.That(Send("14 00 00 00 00 00"), Is.EqualTo("49 00 00 00 00 00"), "cleared by the previous --clear");
        Assert.That(Send("15 09 00 00 00 00 00 00 00"), Is.EqualTo("4a"), "no PID");
        Assert.That(Send("16 00 00 00 00 00"), Is.EqualTo("4d 03 00 00 00 73 76 63"));
        Assert.That(Send("16 01 00 00 00 00"), Is.EqualTo("33"), "second byte must be 0");
    }

    [Test]
    public void UnpinAcks()
    {
        var a = _backend.Add("a");
        a.PinnedStarted = true;
        Send("01 01 00 61");
        Assert.That(Send("07 00 00 00 00"), Is.EqualTo("32"));
        Assert.That(a.PinnedStarted, Is.False);
    }

    [Test]
    public void BackendExceptionBecomesOutOfMemoryReplyAndClose()
    {
        var session = new ControlSession(new ThrowingBackend());
        Assert.That(session.Exchange(Hex("02 01 00 61")), Is.EqualTo("35"));
        Assert.That(session.WantsClose, Is.True);
        Assert.That(session.Fault, Is.InstanceOf<InvalidOperationException>());
    }

    private sealed class ThrowingBackend : IControlBackend
    {
        public object? FindService(string name) => throw new InvalidOperationException();
        public object? LoadService(string name, out LoadFailure failure) => throw new InvalidOperationException();
        public ServiceStatus GetStatus(object service) => throw new InvalidOperationException();
        public string GetName(object service) => throw new InvalidOperationException();
        public IEnumerable<object> AllServices() => throw new InvalidOperationException();
        public ReplyCode Start(object service, bool pin) => throw new InvalidOperationException();
        public ReplyCode Stop(object service, bool pin, bool gentle, out IReadOnlyList<object> dependents) => throw new InvalidOperationException();
        public ReplyCode Restart(object service, bool gentle, out IReadOnlyList<object> dependents) => throw new InvalidOperationException();
        public ReplyCode Wake(object service, bool pin) => throw new InvalidOperationException();
        public ReplyCode Release(object service, bool pin) => throw new InvalidOperationException();
        public void Unpin(object service) => throw new InvalidOperationException();
        public bool Unload(object service) => throw new InvalidOperationException();
        public bool Reload(object service) => throw new InvalidOperationException();
        public void Shutdown(ShutdownType type) => throw new InvalidOperationException();
        public bool AddDependency(object from, object to, DependencyType type) => throw new InvalidOperationException();
        public bool RemoveDependency(object from, object to, DependencyType type) => throw new InvalidOperationException();
        public bool EnableDependency(object from, object to, DependencyType type, out bool existed) => throw new InvalidOperationException();
        public LoaderMechanism QueryLoadMechanism() => throw new InvalidOperationException();
        public string? GetServiceDirectory(object service) => throw new InvalidOperationException();
        public bool SetTrigger(object service, bool value) => throw new InvalidOperationException();
        public byte[]? CatLog(object service, bool clear) => throw new InvalidOperationException();
        public ReplyCode Signal(object service, int signal) => throw new InvalidOperationException();
        public bool SetEnvironment(string name, string? value, out bool hadValue) => throw new InvalidOperationException();
        public IEnumerable<string> GetEnvironment() => throw new InvalidOperationException();
    }
}
