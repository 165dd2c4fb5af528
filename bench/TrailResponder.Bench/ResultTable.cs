using System.Globalization;

namespace TrailResponder.Bench;

/// <summary>One measured line: what, the value, the floor it is compared with, and the target it must meet.</summary>
internal sealed record Result(string Name, string Value, string Floor = "", string Target = "", bool? Passed = null);

/// <summary>Collects the results and prints them as a table.</summary>
internal sealed class ResultTable
{
    private readonly List<Result> _results = [];

    public bool AllPassed => _results.All(r => r.Passed != false);

    public void Add(Result result)
    {
        _results.Add(result);
        Console.WriteLine($"  {result.Name}: {result.Value} {result.Floor} {Verdict(result)}");
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        // Columns as wide as their widest entry, so long values do not push the rest of a line out of place.
        int Width(string heading, Func<Result, string> column) => _results.Select(column).Append(heading).Max(text => text.Length);
        var (name, value, floor, target) = (Width("MEASURE", r => r.Name), Width("VALUE", r => r.Value), Width("FLOOR / RATIO", r => r.Floor), Width("TARGET", r => r.Target));
        output.WriteLine($"{"MEASURE".PadRight(name)}  {"VALUE".PadRight(value)}  {"FLOOR / RATIO".PadRight(floor)}  {"TARGET".PadRight(target)}  RESULT");
        foreach (var result in _results)
        {
            output.WriteLine($"{result.Name.PadRight(name)}  {result.Value.PadRight(value)}  {result.Floor.PadRight(floor)}  {result.Target.PadRight(target)}  {Verdict(result)}");
        }
    }

    public static string Rate(double perSecond, string unit) => string.Create(CultureInfo.InvariantCulture, $"{perSecond:N0} {unit}/s");

    public static string Megabytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");

    /// <summary>", peak N MB" for a value column, or nothing when the peak could not be measured.</summary>
    public static string Peak(long? bytes) => bytes is { } b ? $", peak {Megabytes(b)}" : string.Empty;

    private static string Verdict(Result result) => result.Passed switch
    {
        true => "PASS",
        false => "FAIL",
        _ => string.Empty,
    };
}
