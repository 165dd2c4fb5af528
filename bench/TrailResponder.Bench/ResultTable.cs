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
        output.WriteLine($"{"MEASURE",-58} {"VALUE",-34} {"FLOOR / RATIO",-40} {"TARGET",-22} RESULT");
        foreach (var result in _results)
        {
            output.WriteLine($"{result.Name,-58} {result.Value,-34} {result.Floor,-40} {result.Target,-22} {Verdict(result)}");
        }
    }

    public static string Rate(double perSecond, string unit) => string.Create(CultureInfo.InvariantCulture, $"{perSecond:N0} {unit}/s");

    public static string Megabytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");

    private static string Verdict(Result result) => result.Passed switch
    {
        true => "PASS",
        false => "FAIL",
        _ => string.Empty,
    };
}
