namespace Tinyinit.Loader.Tests;

/// <summary>Variable substitution (service-files.md §5) and service arguments.</summary>
public class SubstitutionTests
{
    private ServiceDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new ServiceDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    private static readonly Dictionary<string, string> Env = new()
    {
        ["GV"] = "gv",
        ["EMPTY"] = "",
        ["SPACED"] = "a  b",
        ["OPTS"] = "-a  -b",
        ["PADDED"] = "  x y  ",
        ["RV"] = "a$GV",
        ["TEST_VAR_ONE"] = "var one",
        ["TEST_VAR_TWO"] = "vartwo",
        ["TEST_VAR_THREE"] = "varthree",
    };

    private IReadOnlyList<string> Argv(string command, string name = "s")
    {
        _dir.Write(ServiceName.Split(name).BaseName, $"type = process\ncommand = {command}\n");
        return _dir.Get(name, Env).Command;
    }

    [TestCase("$$", "$")]
    [TestCase("$$GV", "$GV")]
    [TestCase("$GV", "gv")]
    [TestCase("${GV}", "gv")]
    [TestCase("$GV.x", "gv.x")]
    [TestCase("${GV}y", "gvy")]
    [TestCase("$GV-x", "gv-x")]
    [TestCase("$UNSET", "")]
    [TestCase("${UNSET:-def}", "def")]
    [TestCase("${EMPTY:-def}", "def")]
    [TestCase("${GV:-def}", "gv")]
    [TestCase("${UNSET-def}", "def")]
    [TestCase("${EMPTY-def}", "")]
    [TestCase("${GV-def}", "gv")]
    [TestCase("${UNSET:+alt}", "")]
    [TestCase("${EMPTY:+alt}", "")]
    [TestCase("${GV:+alt}", "alt")]
    [TestCase("${UNSET+alt}", "")]
    [TestCase("${EMPTY+alt}", "alt")]
    [TestCase("${GV+alt}", "alt")]
    [TestCase("$RV", "a$GV")]
    [TestCase("\"${UNSET:-a b}\"", "a b")]
    [TestCase("\\$GV", "gv")]
    public void Forms(string token, string expected) =>
        Assert.That(Argv("/bin/prog " + token), Is.EqualTo(new[] { "/bin/prog", expected }));

    [Test]
    public void WorkedExample()
    {
        var argv = Argv("../checkargs.sh xxx$TEST_VAR_ONE/yyy ${TEST_VAR_TWO}$TEST_VAR_THREE ${TEST_VAR_FOUR:-varfour}");
        Assert.That(argv, Is.EqualTo(new[] { "../checkargs.sh", "xxxvar one/yyy", "vartwovarthree", "varfour" }));
    }

    [Test]
    public void PlainSubstitutionNeverSplits() =>
        Assert.That(Argv("/bin/echo $SPACED $UNSET end"), Is.EqualTo(new[] { "/bin/echo", "a  b", "", "end" }));

    [Test]
    public void WordSplittingForm()
    {
        Assert.That(Argv("/bin/prog $/OPTS end"), Is.EqualTo(new[] { "/bin/prog", "-a", "-b", "end" }));
        Assert.That(Argv("/bin/prog $/EMPTY end"), Is.EqualTo(new[] { "/bin/prog", "end" }));
        Assert.That(Argv("/bin/prog $/UNSET end"), Is.EqualTo(new[] { "/bin/prog", "end" }));
        Assert.That(Argv("/bin/prog $EMPTY end"), Is.EqualTo(new[] { "/bin/prog", "", "end" }));
        Assert.That(Argv("/bin/prog pre$/SPACED post"), Is.EqualTo(new[] { "/bin/prog", "prea", "b", "post" }));
        Assert.That(Argv("/bin/prog $/PADDED"), Is.EqualTo(new[] { "/bin/prog", "x", "y" }));
        Assert.That(Argv("/bin/prog \"$/{UNSET:-p q}\""), Is.EqualTo(new[] { "/bin/prog", "p", "q" }));
    }

    [Test]
    public void WordSplittingInAPathJoinsWithSingleSpaces()
    {
        _dir.Write("s", "type = process\ncommand = /bin/true\nworking-dir = /x/$/SPACED\n");
        Assert.That(_dir.Get("s", Env).WorkingDirectory, Is.EqualTo("/x/a b"));
    }

    [TestCase("$", "invalid/missing variable name after '$'")]
    [TestCase("$-x", "invalid/missing variable name after '$'")]
    [TestCase("${}", "invalid/missing variable name after '$'")]
    [TestCase("$/", "invalid/missing variable name after '$'")]
    [TestCase("${/X}", "invalid/missing variable name after '$'")]
    [TestCase("$2", "only one service argument may be present")]
    [TestCase("$10", "only one service argument may be present")]
    [TestCase("$0", "only one service argument may be present")]
    [TestCase("${2:-x}", "only one service argument may be present")]
    [TestCase("${X:}", "invalid syntax in variable substitution")]
    [TestCase("${X:=y}", "invalid syntax in variable substitution")]
    [TestCase("${X", "unmatched '{' in variable substitution")]
    [TestCase("${X:-abc", "unmatched '{' in variable substitution")]
    [TestCase("$1", "missing value in argument substitution")]
    [TestCase("${1}", "missing value in argument substitution")]
    public void CommandErrors(string token, string message)
    {
        var e = _dir.Error($"type = process\ncommand = /bin/prog {token}\n");
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.DescriptionError));
        Assert.That(e.LogLines.Single(), Is.EqualTo($"Error in service description for 's' setting 'command': {message}"));
    }

    [TestCase("logfile")]
    [TestCase("working-dir")]
    [TestCase("pid-file")]
    [TestCase("socket-listen")]
    [TestCase("stop-command")]
    public void PostLoadSettingErrorsNameTheSetting(string setting) =>
        Assert.That(_dir.Error($"type = process\ncommand = /bin/true\n{setting} = /x/${{A\n").LogLines.Single(),
            Is.EqualTo($"Error in service description for 's' setting '{setting}': unmatched '{{' in variable substitution"));

    [Test]
    public void PreLoadSettingErrorsNameTheSetting() =>
        Assert.That(_dir.Error("depends-on = x${A\n").LogLines.Single(),
            Is.EqualTo("Error in service description for 's' setting 'depends-on': unmatched '{' in variable substitution"));

    [Test]
    public void ArgumentFormsWithoutArgument() =>
        Assert.That(Argv("/bin/p ${1:-none} ${1-unset} ${1:+alt}x ${1+alt}y"), Is.EqualTo(new[] { "/bin/p", "none", "unset", "x", "y" }));

    [Test]
    public void ServiceArgument()
    {
        Assert.That(Argv("/bin/p $1 ${1} ${1:+set}", "s@foo"), Is.EqualTo(new[] { "/bin/p", "foo", "foo", "set" }));
        Assert.That(Argv("/bin/p [$1]", "s@"), Is.EqualTo(new[] { "/bin/p", "[]" }));
        Assert.That(Argv("/bin/p $1", "s@a@b"), Is.EqualTo(new[] { "/bin/p", "a@b" }));
    }

    [Test]
    public void TemplatedServiceExample()
    {
        _dir.Write("checkarg", "type = process\nwaits-for = checkarg2@$1\ncommand = ../checkarg.sh $1\nrestart = false\n@include-opt ./inc-$1\n");
        _dir.Write("checkarg2", "type = process\ncommand = /bin/echo $1\n");
        _dir.Write("inc-foo", "env-file = env-foo\n");
        _dir.Write("env-foo", "FOO=bar\n");
        var outcome = _dir.Load("checkarg@foo");
        Assert.That(outcome.Error, Is.Null);
        Assert.That(outcome.Services.Select(s => s.Name), Is.EqualTo(new[] { "checkarg@foo", "checkarg2@foo" }));
        var main = outcome.Services[0];
        Assert.That(main.Command, Is.EqualTo(new[] { "../checkarg.sh", "foo" }));
        Assert.That(main.Dependencies.Single(), Is.EqualTo(new DependencySpec("checkarg2@foo", DependencyType.WaitsFor)));
        Assert.That(main.Environment["FOO"], Is.EqualTo("bar"));
        Assert.That(outcome.Services[1].Command, Is.EqualTo(new[] { "/bin/echo", "foo" }));

        var bar = _dir.Load("checkarg@bar");
        Assert.That(bar.Error, Is.Null, "the optional include of inc-bar is skipped");

        var plain = _dir.Load("checkarg");
        Assert.That(plain.Error!.Message, Is.EqualTo("missing value in argument substitution"));
    }

    [Test]
    public void ArgumentIsInsertedLiterally()
    {
        _dir.Write("a", "waits-for = other@x$$1\n");
        _dir.Write("other", "type = process\ncommand = /bin/echo $1\n");
        var outcome = _dir.Load("a");
        Assert.That(outcome.Services[1].Name, Is.EqualTo("other@x$1"));
        Assert.That(outcome.Services[1].Command[1], Is.EqualTo("x$1"));
    }

    [Test]
    public void EnvFileVariablesTakePrecedenceInPostLoadSubstitution()
    {
        _dir.Write("env", "GV=fromfile\n");
        _dir.Write("s", "type = process\nenv-file = env\ncommand = /bin/p $GV $TEST_VAR_TWO\n");
        Assert.That(_dir.Get("s", Env).Command, Is.EqualTo(new[] { "/bin/p", "fromfile", "vartwo" }));
    }

    [Test]
    public void PreLoadSubstitutionUsesOnlyTheGlobalEnvironment()
    {
        _dir.Write("env", "DEP=fromfile\n");
        _dir.Write("gv", "");
        _dir.Write("s", "env-file = env\ndepends-on = ${DEP:-gv}\n");
        Assert.That(_dir.Get("s", Env).Dependencies.Single().Name, Is.EqualTo("gv"));
    }

    [Test]
    public void EnvFileClearHidesGlobalVariables()
    {
        _dir.Write("env", "!clear\nA=1\n");
        _dir.Write("s", "type = process\nenv-file = env\nload-options = export-service-name\ncommand = /bin/p [$GV] $A [${DINIT_SERVICE:-gone}]\n");
        var d = _dir.Get("s", Env);
        Assert.That(d.Command, Is.EqualTo(new[] { "/bin/p", "[]", "1", "[gone]" }));
        Assert.That(d.ClearsGlobalEnvironment, Is.True);
    }
}
