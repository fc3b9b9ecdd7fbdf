namespace Tinyinit.Bench;

/// <param name="Name">What was measured.</param>
/// <param name="Value">The figure (a median where repeated).</param>
/// <param name="Unit">Unit of <paramref name="Value"/>.</param>
/// <param name="Comparison">Reference figure or ratio, where one exists.</param>
public sealed record BenchRow(string Name, double Value, string Unit, string Comparison = "");

/// <summary>A group of related measurements; each group is one file in this project.</summary>
public interface IBenchmarkGroup
{
    string Title { get; }
    IEnumerable<BenchRow> Run(BenchContext context);
}

/// <param name="BinDirectory">Folder holding the published AOT binaries (may lack them).</param>
/// <param name="Quick">Fewer repetitions (used by tests of the bench itself).</param>
public sealed record BenchContext(string BinDirectory, bool Quick);
