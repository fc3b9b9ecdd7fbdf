namespace Tinyinit.Loader.Tests;

/// <summary>Lexical syntax (service-files.md §3) and the worked examples of §10.</summary>
public class SyntaxTests
{
    private ServiceDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new ServiceDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    [Test]
    public void BasicProcessExample()
    {
        _dir.Write("rcboot", "");
        _dir.Write("mysqld", """
            # mysqld service
            type = process
            command = /usr/bin/mysqld --user=mysql
            logfile = /var/log/mysqld.log
            smooth-recovery = true
            restart = false
            depends-on: rcboot   # comment after whitespace is fine
            """);
        var d = _dir.Get("mysqld");
        Assert.That(d.Type, Is.EqualTo(ServiceType.Process));
        Assert.That(d.Command, Is.EqualTo(new[] { "/usr/bin/mysqld", "--user=mysql" }));
        Assert.That(d.LogType, Is.EqualTo(LogType.File));
        Assert.That(d.LogFile, Is.EqualTo("/var/log/mysqld.log"));
        Assert.That(d.SmoothRecovery, Is.True);
        Assert.That(d.Restart, Is.EqualTo(RestartMode.No));
        Assert.That(d.Dependencies, Is.EqualTo(new[] { new DependencySpec("rcboot", DependencyType.Regular) }));
    }

    [Test]
    public void QuotingAndEscapes()
    {
        _dir.Write("s", "type = process\ncommand = /bin/sh -c \"echo \\\"a  b\\\" # not a comment\" x\\ y\n");
        Assert.That(_dir.Get("s").Command, Is.EqualTo(new[] { "/bin/sh", "-c", "echo \"a  b\" # not a comment", "x y" }));
    }

    [Test]
    public void QuotedSectionJoinsTokenAndEmptyQuotesMakeAnEmptyArgument()
    {
        _dir.Write("s", "type = process\ncommand = a\"b c\"d \"\" e\n");
        Assert.That(_dir.Get("s").Command, Is.EqualTo(new[] { "ab cd", "", "e" }));
    }

    [Test]
    public void ColonAndEqualsAreInterchangeable()
    {
        _dir.Write("s", "type: process\ncommand: /bin/true\nrestart: no\n");
        var d = _dir.Get("s");
        Assert.That((d.Type, d.Restart), Is.EqualTo((ServiceType.Process, RestartMode.No)));
    }

    [Test]
    public void AttachedHashIsAnError()
    {
        var e = _dir.Error("type = process\ncommand = /bin/echo foo#bar\n");
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.DescriptionError));
        Assert.That(e.LogLines.Single(), Is.EqualTo(
            $"Error in service description for 's' (file {_dir.File("s")}, line 2): hashmark (`#') comment must be separated from setting value by whitespace"));
    }

    [TestCase("command = #x")]
    [TestCase("type = # note")]
    public void ValueStartingWithHashIsAnError(string line) =>
        Assert.That(_dir.Error(line + "\n").Message, Is.EqualTo(ValueParserTexts.Hashmark));

    [Test]
    public void ContinuationJoinsLinesAndCommentsEndAtTheEmbeddedNewline()
    {
        _dir.Write("s", "type = process\ncommand = /usr/bin/foo --a   # first option \\\n          --b                 # second option\n");
        Assert.That(_dir.Get("s").Command, Is.EqualTo(new[] { "/usr/bin/foo", "--a", "--b" }));
    }

    [Test]
    public void ContinuationOverSeveralLines()
    {
        _dir.Write("s", "type = process\ncommand = /bin/foo \\\n    --verbose \\\n  --x\n");
        Assert.That(_dir.Get("s").Command, Is.EqualTo(new[] { "/bin/foo", "--verbose", "--x" }));
    }

    [Test]
    public void ContinuationWithoutLeadingWhitespaceIsAnErrorAtTheFollowingLine()
    {
        var e = _dir.Error("type = process\ncommand = /bin/foo \\\n--x\n");
        Assert.That(e.LogLines.Single(), Is.EqualTo(
            $"Error in service description for 's' (file {_dir.File("s")}, line 3): line following line-continuation backslash (`\\') does not begin with whitespace character"));
    }

    [Test]
    public void BackslashAsLastByteOfFileIsEndOfFileError()
    {
        var e = _dir.Error("type = process\ncommand = /bin/foo \\");
        Assert.That(e.LogLines.Single(), Does.EndWith("(file " + _dir.File("s") + ", line 2): end-of-file follows backslash escape character (`\\')"));
    }

    [Test]
    public void BackslashThenNewlineAtEndIsTheWhitespaceErrorOnTheEmptyLine()
    {
        var e = _dir.Error("type = process\ncommand = /bin/foo \\\n");
        Assert.That(e.LogLines.Single(), Does.EndWith("line 3): line following line-continuation backslash (`\\') does not begin with whitespace character"));
    }

    [Test]
    public void EvenBackslashesDoNotContinue()
    {
        _dir.Write("s", "type = process\ncommand = /bin/foo a\\\\\nrestart = no\n");
        var d = _dir.Get("s");
        Assert.That(d.Command, Is.EqualTo(new[] { "/bin/foo", "a\\" }));
        Assert.That(d.Restart, Is.EqualTo(RestartMode.No));
    }

    [Test]
    public void CommentLineEndingInBackslashSwallowsTheNextLine()
    {
        _dir.Write("s", "# comment \\\n  type = process\n");
        Assert.That(_dir.Get("s").Type, Is.EqualTo(ServiceType.Internal));
    }

    [Test]
    public void CrLfFilesWork()
    {
        _dir.Write("s", "type = process\r\ncommand = /bin/true\r\n");
        Assert.That(_dir.Get("s").Command, Is.EqualTo(new[] { "/bin/true" }));
    }

    [TestCase("-type = x")]
    [TestCase("1type = x")]
    [TestCase("type process")]
    [TestCase("type")]
    [TestCase("type + = x")]
    [TestCase("= x")]
    public void BadlyFormedLines(string line) =>
        Assert.That(_dir.Error(line + "\n").Message, Is.EqualTo("badly formed line."));

    [TestCase("frob += 1", "frob")]
    [TestCase("type_x = 1", "type_x")]
    [TestCase("nöpe = 1", "nöpe")]
    public void UnknownSetting(string line, string name) =>
        Assert.That(_dir.Error(line + "\n").Message, Is.EqualTo($"unknown setting: '{name}'."));

    [TestCase("type += process", "type")]
    [TestCase("depends-on += x", "depends-on")]
    [TestCase("restart += yes", "restart")]
    public void AppendOnlyWhereAllowed(string line, string name) =>
        Assert.That(_dir.Error(line + "\n").Message, Is.EqualTo($"cannot use '+=' with setting '{name}'"));

    [Test]
    public void AppendToCommand()
    {
        _dir.Write("s", "type = process\ncommand = /bin/echo a\ncommand += b \"c d\"\nstop-command += /bin/kill\n");
        var d = _dir.Get("s");
        Assert.That(d.Command, Is.EqualTo(new[] { "/bin/echo", "a", "b", "c d" }));
        Assert.That(d.StopCommand, Is.EqualTo(new[] { "/bin/kill" }));
    }

    [Test]
    public void UnterminatedQuote() =>
        Assert.That(_dir.Error("command = \"abc\n").Message, Is.EqualTo("unterminated quoted string"));

    [Test]
    public void LaterSettingReplacesEarlier()
    {
        _dir.Write("s", "type = scripted\ntype = process\ncommand = /a\ncommand = /b c\n");
        var d = _dir.Get("s");
        Assert.That((d.Type, d.Command.Count, d.Command[0]), Is.EqualTo((ServiceType.Process, 2, "/b")));
    }

    [Test]
    public void TypeQuotingIsRemovedFirst()
    {
        _dir.Write("s", "type = scr\"ipted\"\ncommand = /bin/true\n");
        Assert.That(_dir.Get("s").Type, Is.EqualTo(ServiceType.Scripted));
    }

    [Test]
    public void BadMetaCommand()
    {
        Assert.That(_dir.Error("@frob x\n").Message, Is.EqualTo("bad meta command"));
        Assert.That(_dir.Error("@ include x\n").Message, Is.EqualTo("bad meta command"));
    }

    [Test]
    public void MetaEnableViaIsRecorded()
    {
        _dir.Write("s", "@meta enable-via boot\n");
        Assert.That(_dir.Get("s").Meta["enable-via"], Is.EqualTo("boot"));
    }
}

internal static class ValueParserTexts
{
    public const string Hashmark = "hashmark (`#') comment must be separated from setting value by whitespace";
}
