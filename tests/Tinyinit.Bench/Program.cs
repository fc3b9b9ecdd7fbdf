using System.Diagnostics;
using System.Globalization;
using Tinyinit.Bench;

// `make bench`: runs every benchmark group and prints one table. Figures, not pass/fail:
// speed and memory targets are read here, never asserted in timed unit tests.
var binDir = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../../out/bin");
var quick = args.Contains("--quick");
// --only=TITLE runs one group (e.g. --only=tinyctl), for a quick look at one issue's figures.
var only = args.FirstOrDefault(a => a.StartsWith("--only="))?["--only=".Length..];
IBenchmarkGroup[] groups =
[
    // Each issue adds its group here (one file per group).
    new SystemBench(),
    new CtlBench(),
    new InitBench(),
    new LoaderBench(),
    new EngineBench(),
    new ManagerBench(),
    new SpawnBench(),
    new HandOverBench(),
    new CrashRecoveryBench(),
    new OutputBench(),
    new LogBurstBench(),
];

Console.WriteLine($"{"benchmark",-58} {"value",12} {"unit",-6} comparison");
Console.WriteLine(new string('-', 100));
foreach (var group in groups.Where(g => only == null || g.Title == only))
{
    var sw = Stopwatch.StartNew();
    try
    {
        foreach (var row in group.Run(new BenchContext(Path.GetFullPath(binDir), quick)))
            Console.WriteLine($"{row.Name,-58} {row.Value.ToString("0.###", CultureInfo.InvariantCulture),12} {row.Unit,-6} {row.Comparison}");
    }
    catch (Exception e)
    {
        Console.WriteLine($"{group.Title}: failed: {e.Message}");
    }
    Console.Error.WriteLine($"  ({group.Title}: {sw.Elapsed.TotalSeconds:0.0} s)");
}
