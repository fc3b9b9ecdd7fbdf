using System.Diagnostics;
using System.Text;
using Tinyinit.Loader.Check;

namespace Tinyinit.Loader.Tests;

/// <summary>
/// Property test: thousands of randomly mutated valid descriptions (truncated lines, junk bytes,
/// huge values, deep include nesting, include loops, dependency cycles). Each load either
/// succeeds or yields a load error; no exception escapes from the loader or the checker.
/// Seeded, so every run sees the same inputs.
/// </summary>
public class FuzzTests
{
    private const int Cases = 4000;

    private static readonly string[] Corpus =
    [
        "type = process\ncommand = /bin/sleep 10 \"a b\" c\\ d\nrestart = on-failure\nsmooth-recovery = yes\nrestart-delay = 0.5\nrestart-limit-count = 5\nstop-timeout = 3,5\ndepends-on: a\nwaits-for: b\n",
        "type = bgprocess\ncommand = /usr/sbin/d -f\npid-file = /run/${NAME:-d}.pid\nlogfile = /var/log/$1.log\nlogfile-permissions = 0640\nterm-signal = HUP\nafter: a\n",
        "type = scripted\ncommand = /bin/sh -c \"echo start\" \\\n    --more # comment\nstop-command = /bin/sh -c stop\noptions: starts-rwfs signal-process-only\nload-options: export-service-name\nenv-file = env\n",
        "type = internal\nwaits-for.d: boot.d\ndepends-ms: a@x\nbefore: b\n@include inc0\n@meta enable-via boot\n",
        "type = process\ncommand = /bin/p $/OPTS ${1:-none} $$\nready-notification = pipevar:READY\nsocket-listen = /run/s.sock\nsocket-permissions = 600\nrlimit-nofile = 10:-\nnice = 5\nioprio = best-effort:3\noom-score-adj = -5\ncapabilities = ^cap_net_bind_service\nsecurebits = keep-caps\n",
        "type = triggered\nchain-to = a\nconsumer-of = b\nlog-type = buffer\nlog-buffer-size = 8192\ninittab-id = ab\ninittab-line = tty1\nrun-in-cgroup = /x\n",
    ];

    private static readonly string Junk = "\0\\\"$#@{}:=+ \t\r\n\u00ff\u2028é/-.";

    [Test]
    public void MutatedDescriptionsLoadOrFailCleanly()
    {
        var random = new Random(20261201);
        using var dir = new ServiceDir();
        dir.Write("b", "").Write("boot.d/a", "").Write("env", "X=1\n");
        WriteIncludes(dir);
        var env = new Dictionary<string, string> { ["OPTS"] = "-a -b", ["NAME"] = "n" };
        var loader = dir.Loader(env);
        var clock = Stopwatch.StartNew();
        var outcomes = new int[2];
        for (var i = 0; i < Cases; i++)
        {
            var text = Mutate(Corpus[random.Next(Corpus.Length)], random);
            dir.Write("s", text);
            dir.Write("a", random.Next(8) == 0 ? Mutate(Corpus[random.Next(Corpus.Length)], random) : "");
            var name = random.Next(3) == 0 ? "s@" + RandomText(random, 4) : "s";
            LoadOutcome outcome = null!;
            Assert.DoesNotThrow(() => outcome = loader.Load(name, _ => false), $"case {i}: {Escape(text)}");
            Assert.That(outcome.Error != null || outcome.Services.Count > 0, Is.True);
            if (outcome.Error != null) Assert.That(outcome.Error.LogLines, Is.Not.Empty);
            outcomes[outcome.Error == null ? 0 : 1]++;
            if (i % 10 == 0)
                Assert.DoesNotThrow(() => new ServiceChecker(dir.Options(env), TextWriter.Null, TextWriter.Null, "dinit-check").Check([name]),
                    $"check, case {i}: {Escape(text)}");
        }
        TestContext.Out.WriteLine($"{Cases} cases: {outcomes[0]} loaded, {outcomes[1]} load errors, {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(outcomes, Is.All.GreaterThan(Cases / 20), "the mutations exercise both outcomes");
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(9))
            {
                case 0: lines[at] = lines[at][..random.Next(lines[at].Length + 1)]; break;             // truncated line
                case 1: lines[at] = lines[at].Insert(random.Next(lines[at].Length + 1), RandomText(random, random.Next(1, 6))); break;
                case 2: lines[at] += new string((char)('a' + random.Next(26)), random.Next(1000, 100_000)); break; // huge value
                case 3: lines.Insert(at, lines[random.Next(lines.Count)]); break;                    // repeated setting
                case 4: lines.RemoveAt(at); if (lines.Count == 0) lines.Add(""); break;
                case 5: lines[at] += "\\"; break;                                                     // stray continuation
                case 6: lines.Insert(at, random.Next(3) switch { 0 => "@include deep", 1 => "@include-opt loop", _ => "@include inc" } + random.Next(IncludeDepth)); break;
                case 7: lines.Insert(at, "depends-on: " + (random.Next(2) == 0 ? "s" : "a")); break; // cycles
                default: lines[at] = new string(lines[at].Reverse().ToArray()); break;
            }
        }
        var result = string.Join('\n', lines);
        return random.Next(10) == 0 ? result[..random.Next(result.Length + 1)] : result;
    }

    private const int IncludeDepth = 60;

    /// <summary>
    /// Include chains written once: deepN → deepN+1 → … → deep59 (nesting beyond the limit from
    /// the low numbers), loopN → … → loop59 → loop0 (a loop), incN with a junk line each.
    /// </summary>
    private static void WriteIncludes(ServiceDir dir)
    {
        for (var i = 0; i < IncludeDepth; i++)
        {
            var last = i + 1 == IncludeDepth;
            dir.Write($"deep{i}", last ? "restart = no\n" : $"@include deep{i + 1}\n");
            dir.Write($"loop{i}", $"@include loop{(last ? 0 : i + 1)}\n");
            dir.Write($"inc{i}", RandomText(new Random(i), 8) + "\n");
        }
    }

    private static string RandomText(Random random, int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
            sb.Append(random.Next(3) == 0 ? (char)random.Next(32, 127) : Junk[random.Next(Junk.Length)]);
        return sb.ToString();
    }

    private static string Escape(string text) => text.Length > 300 ? text[..300].ReplaceLineEndings("\\n") + "…" : text.ReplaceLineEndings("\\n");
}
