using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace TrailResponder.Core.Patterns;

/// <summary>The UTF-16 code units one regex atom (a character, <c>.</c>, an escape or a <c>[class]</c>) matches, as sorted ranges.</summary>
/// <remarks>
/// The meaning of an atom is taken from .NET's own regex engine, so <c>\w</c>, <c>\p{Lu}</c> or <c>[a-z-[aeiou]]</c>
/// mean exactly what they mean to <see cref="Regex"/>: the atom alone is run over every code unit once and the
/// matching runs are recorded. That costs up to a few milliseconds for a Unicode category, so results are cached by
/// atom text (a rules file repeats the same few classes).
/// </remarks>
internal sealed class CodeUnitSet
{
    // The cache lives as long as the process: bound what it holds, in ranges (4 bytes each), to 1 MB.
    private const int MaxCachedCost = 256 * 1024;
    private static readonly ConcurrentDictionary<string, CodeUnitSet> Cache = new(StringComparer.Ordinal);
    private static int _cachedCost;
    private static readonly Lazy<string> EveryCodeUnit = new(() => string.Create(char.MaxValue + 1, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)i;
        }
    }));

    // Inclusive bounds: [First[0], Last[0]], [First[1], Last[1]], ... ascending and disjoint.
    private readonly char[] _first;
    private readonly char[] _last;

    private CodeUnitSet(char[] first, char[] last)
    {
        _first = first;
        _last = last;
        for (var r = 0; r < first.Length; r++)
        {
            BoundariesAboveAscii += (first[r] >= 128 ? 1 : 0) + (last[r] is >= (char)127 and < char.MaxValue ? 1 : 0);
        }
    }

    /// <summary>The word characters of <c>\b</c> and <c>\B</c>: <c>\w</c> plus the zero-width (non-)joiners, as .NET defines them.</summary>
    public static CodeUnitSet BoundaryWord { get; } = Of(@"[\w\u200C\u200D]");

    /// <summary>How many times membership changes above U+007F: where a range starts, or ends before U+FFFF.</summary>
    public int BoundariesAboveAscii { get; }

    /// <summary>The ranges, for building lookup tables.</summary>
    public int RangeCount => _first.Length;

    /// <summary>First code unit of range <paramref name="index"/>.</summary>
    public char First(int index) => _first[index];

    /// <summary>Last code unit of range <paramref name="index"/>.</summary>
    public char Last(int index) => _last[index];

    /// <summary>Whether the set holds <paramref name="c"/>.</summary>
    public bool Contains(char c)
    {
        var index = Array.BinarySearch(_first, c);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return index >= 0 && c <= _last[index];
    }

    /// <summary>The set a single literal character stands for.</summary>
    public static CodeUnitSet Single(char c) => new([c], [c]);

    /// <summary>The set an atom matches; <paramref name="atom"/> must be one valid .NET regex atom.</summary>
    public static CodeUnitSet Of(string atom)
    {
        if (Cache.TryGetValue(atom, out var cached))
        {
            return cached;
        }

        // "(?:atom)+" turns every maximal run of members into one match, so the scan yields ranges, not characters.
        var runs = new Regex("(?:" + atom + ")+", RegexOptions.CultureInvariant);
        var first = new List<char>();
        var last = new List<char>();
        foreach (var match in runs.EnumerateMatches(EveryCodeUnit.Value))
        {
            first.Add((char)match.Index);
            last.Add((char)(match.Index + match.Length - 1));
        }

        var set = new CodeUnitSet([.. first], [.. last]);
        // An entry costs its ranges and its key (half a range per character). Racing loads may overshoot a little.
        var cost = set.RangeCount + (atom.Length / 2) + 1;
        if (Volatile.Read(ref _cachedCost) + cost <= MaxCachedCost && Cache.TryAdd(atom, set))
        {
            Interlocked.Add(ref _cachedCost, cost);
        }

        return set;
    }
}
