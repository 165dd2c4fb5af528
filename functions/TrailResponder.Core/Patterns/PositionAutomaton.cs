using System.Globalization;
using System.Runtime.InteropServices;

namespace TrailResponder.Core.Patterns;

/// <summary>The tables of a <see cref="FilterRegex"/>: its states as bit masks, built from the parsed alternatives.</summary>
internal sealed class PositionAutomaton
{
    /// <summary>At the boundary before the first character (a bit of a boundary kind).</summary>
    public const int AtStart = 1;

    /// <summary>At the boundary after the last character.</summary>
    public const int AtEnd = 2;

    /// <summary>At the end, or before a final newline.</summary>
    public const int AtEndOrFinalNewline = 4;

    /// <summary>Between a word and a non-word character.</summary>
    public const int OnWordBoundary = 8;

    /// <summary>How many states: one per atom copy, two per alternative (its start and its end).</summary>
    public int States { get; private init; }

    /// <summary>How many 64-bit words a set of states takes.</summary>
    public int Words { get; private init; }

    /// <summary>The masks that hold at every boundary, one entry per word.</summary>
    public StateWord[] StateWords { get; private init; } = [];

    /// <summary>The masks of each boundary kind (see <see cref="KindBits"/>), <see cref="Words"/> entries per kind.</summary>
    public GapWord[] GapWords { get; private init; } = [];

    /// <summary>Per boundary kind: whether any skippable state may be skipped there.</summary>
    public bool[] KindHasOptional { get; private init; } = [];

    /// <summary>The boundary facts the regex asserts on (<see cref="AtStart"/> and the others); zero when it has no assertions.</summary>
    public int KindBits { get; private init; }

    /// <summary>Every alternative needs the start of the value: once no state is active after it, nothing can match.</summary>
    public bool AnchoredAtStart { get; private init; }

    /// <summary>The class of each ASCII character.</summary>
    public byte[] AsciiClass { get; private init; } = [];

    /// <summary>Where each stretch of code units above U+007F that share a class starts, ascending from U+0080.</summary>
    public char[] SegmentStart { get; private init; } = [];

    /// <summary>The class of each stretch.</summary>
    public byte[] SegmentClass { get; private init; } = [];

    /// <summary>Per class, <see cref="Words"/> words: the states a character of that class can be consumed by.</summary>
    public ulong[] ClassMasks { get; private init; } = [];

    /// <summary>Per class: whether its characters are word characters for <c>\b</c> and <c>\B</c>.</summary>
    public bool[] ClassIsWord { get; private init; } = [];

    /// <summary>The bytes the tables hold (not counting object headers).</summary>
    public long TableBytes =>
        (24L * StateWords.Length) + (32L * GapWords.Length) + (8L * ClassMasks.Length)
        + AsciiClass.Length + (3L * SegmentStart.Length) + ClassIsWord.Length + KindHasOptional.Length;

    /// <summary>Unrolls the alternatives into states and builds the tables.</summary>
    /// <exception cref="FilterRegexException">The regex needs more states, classes or set boundaries than allowed.</exception>
    public static PositionAutomaton Build(List<List<RegexElement>> alternatives)
    {
        var states = new List<State>();
        var sets = new List<CodeUnitSet>();
        var setOfAtom = new Dictionary<string, int>(StringComparer.Ordinal);
        var boundaries = 0;
        void Add(State state, int offset)
        {
            if (states.Count == FilterRegex.MaxStates)
            {
                throw new FilterRegexException(offset, string.Create(
                    CultureInfo.InvariantCulture,
                    $"the regex needs more than {FilterRegex.MaxStates} automaton states (one per character or class, one per repeated copy, two per alternative)"));
            }

            states.Add(state);
        }

        foreach (var alternative in alternatives)
        {
            Add(new State(StateRole.Start, RegexAnchor.None, -1, false, false), alternative.Count > 0 ? alternative[0].Offset : 0);
            var gap = RegexAnchor.None;
            foreach (var element in alternative)
            {
                if (element.Atom is null)
                {
                    // A quantified assertion with no minimum asserts nothing.
                    gap |= element.Min > 0 ? element.Anchor : RegexAnchor.None;
                    continue;
                }

                if (element.Max == 0)
                {
                    continue;
                }

                var set = SetIndex(element, sets, setOfAtom, ref boundaries);
                var copies = element.Max == int.MaxValue ? Math.Max(element.Min, 1) : element.Max;
                for (var copy = 0; copy < copies; copy++)
                {
                    var loops = element.Max == int.MaxValue && copy == copies - 1;
                    Add(new State(StateRole.Atom, gap, set, Skippable: copy >= element.Min, loops), element.Offset);
                    gap = RegexAnchor.None;
                }
            }

            Add(new State(StateRole.End, gap, -1, false, false), alternative.Count > 0 ? alternative[^1].Offset : 0);
        }

        var words = (states.Count + 63) / 64;
        var anchors = states.Aggregate(RegexAnchor.None, (all, s) => all | s.Gap);
        var kindBits = (anchors.HasFlag(RegexAnchor.Start) ? AtStart : 0)
            | (anchors.HasFlag(RegexAnchor.End) ? AtEnd : 0)
            | (anchors.HasFlag(RegexAnchor.EndOrFinalNewline) ? AtEndOrFinalNewline : 0)
            | ((anchors & (RegexAnchor.WordBoundary | RegexAnchor.NotWordBoundary)) != 0 ? OnWordBoundary : 0);

        var starts = Mask(states, words, s => s.Role == StateRole.Start);
        var ends = Mask(states, words, s => s.Role == StateRole.End);
        var loopMask = Mask(states, words, s => s.Loops);

        // One block of gap masks per combination of the boundary facts the regex asserts on (kind <= kindBits).
        var gapWords = new GapWord[(kindBits + 1) * words];
        var kindHasOptional = new bool[kindBits + 1];
        var anchoredAtStart = true;
        for (var kind = 0; kind <= kindBits; kind++)
        {
            if ((kind & ~kindBits) == 0)
            {
                var gaps = GapsFor(states, words, kind);
                gaps.CopyTo(gapWords, kind * words);
                kindHasOptional[kind] = gaps.Any(g => g.Optional != 0);
                anchoredAtStart &= (kind & AtStart) != 0 || !Reaches(gaps, starts);
            }
        }

        var (asciiClass, segmentStart, segmentClass, classMasks, classIsWord) =
            Classes(states, sets, words, (kindBits & OnWordBoundary) != 0);
        return new PositionAutomaton
        {
            States = states.Count,
            Words = words,
            StateWords = [.. Enumerable.Range(0, words).Select(w => new StateWord(starts[w], ends[w], loopMask[w]))],
            GapWords = gapWords,
            KindHasOptional = kindHasOptional,
            KindBits = kindBits,
            AnchoredAtStart = anchoredAtStart,
            AsciiClass = asciiClass,
            SegmentStart = segmentStart,
            SegmentClass = segmentClass,
            ClassMasks = classMasks,
            ClassIsWord = classIsWord,
        };
    }

    private static int SetIndex(RegexElement element, List<CodeUnitSet> sets, Dictionary<string, int> setOfAtom, ref int boundaries)
    {
        var atom = element.Atom!;
        if (setOfAtom.TryGetValue(atom, out var index))
        {
            return index;
        }

        CodeUnitSet set;
        try
        {
            set = element.IsLiteral ? CodeUnitSet.Single(atom[0]) : CodeUnitSet.Of(atom);
        }
        catch (ArgumentException e)
        {
            // Only if this tokenizer and .NET's parser ever disagree on where an atom ends.
            throw new FilterRegexException(element.Offset, $"invalid regex: '{atom}' is not one character, class or escape ({e.Message})");
        }

        boundaries += set.BoundariesAboveAscii;
        if (boundaries > FilterRegex.MaxSetBoundaries)
        {
            throw new FilterRegexException(element.Offset, string.Create(
                CultureInfo.InvariantCulture,
                $"the regex's character sets start or stop at more than {FilterRegex.MaxSetBoundaries} places above U+007F: use fewer or simpler Unicode classes"));
        }

        setOfAtom[atom] = sets.Count;
        sets.Add(set);
        return sets.Count - 1;
    }

    private static ulong[] Mask(List<State> states, int words, Func<State, bool> include)
    {
        var mask = new ulong[words];
        for (var i = 0; i < states.Count; i++)
        {
            if (include(states[i]))
            {
                mask[i / 64] |= 1UL << (i % 64);
            }
        }

        return mask;
    }

    private static bool Holds(RegexAnchor gap, int kind) =>
        (!gap.HasFlag(RegexAnchor.Start) || (kind & AtStart) != 0)
        && (!gap.HasFlag(RegexAnchor.End) || (kind & AtEnd) != 0)
        && (!gap.HasFlag(RegexAnchor.EndOrFinalNewline) || (kind & AtEndOrFinalNewline) != 0)
        && (!gap.HasFlag(RegexAnchor.WordBoundary) || (kind & OnWordBoundary) != 0)
        && (!gap.HasFlag(RegexAnchor.NotWordBoundary) || (kind & OnWordBoundary) == 0);

    private static GapWord[] GapsFor(List<State> states, int words, int kind)
    {
        var passable = Mask(states, words, s => s.Role != StateRole.Start && Holds(s.Gap, kind));

        // A skippable atom state is always followed by another atom state or its alternative's end.
        var optional = new ulong[words];
        for (var i = 0; i < states.Count; i++)
        {
            if (states[i].Skippable && Holds(states[i + 1].Gap, kind))
            {
                optional[i / 64] |= 1UL << (i % 64);
            }
        }

        var runStart = new ulong[words];
        var runEnd = new ulong[words];
        for (var i = 0; i < states.Count; i++)
        {
            if (IsSet(optional, i) && !IsSet(optional, i - 1))
            {
                runStart[i / 64] |= 1UL << (i % 64);
            }

            if (IsSet(optional, i) && !IsSet(optional, i + 1))
            {
                runEnd[i / 64] |= 1UL << (i % 64);
            }
        }

        return [.. Enumerable.Range(0, words).Select(w => new GapWord(passable[w], optional[w], runStart[w], runEnd[w]))];
    }

    private static bool IsSet(ulong[] mask, int bit) => bit >= 0 && bit / 64 < mask.Length && (mask[bit / 64] & (1UL << (bit % 64))) != 0;

    // Whether, at a boundary of this kind, any state (or an end) can be reached straight from an alternative's start.
    private static bool Reaches(GapWord[] gaps, ulong[] starts)
    {
        ulong carry = 0;
        for (var w = 0; w < starts.Length; w++)
        {
            if ((((starts[w] << 1) | carry) & gaps[w].Passable) != 0)
            {
                return true;
            }

            carry = starts[w] >> 63;
        }

        return false;
    }

    // Characters every state treats alike form one class. Each state belongs to exactly one set, so sweeping the
    // code units upwards and toggling a set's states where the set starts or stops gives each stretch's mask.
    private static (byte[] Ascii, char[] SegmentStart, byte[] SegmentClass, ulong[] ClassMasks, bool[] ClassIsWord) Classes(
        List<State> states, List<CodeUnitSet> sets, int words, bool needsWordFlag)
    {
        var setMasks = new ulong[sets.Count + 1][];
        for (var s = 0; s < sets.Count; s++)
        {
            var index = s;
            setMasks[s] = Mask(states, words, state => state.Role == StateRole.Atom && state.Set == index);
        }

        var allSets = new List<CodeUnitSet>(sets);
        var wordSet = -1;
        if (needsWordFlag)
        {
            wordSet = allSets.Count;
            allSets.Add(CodeUnitSet.BoundaryWord);
            setMasks[wordSet] = new ulong[words];
        }

        // Toggle events, sorted by code unit: a set enters at First and leaves after Last. U+0080 always starts a
        // segment, because ASCII and the rest are looked up differently. (Sets count from 1 here; 0 is none.)
        var toggles = new List<long> { 128L << 16, (char.MaxValue + 1L) << 16 };
        for (var s = 0; s < allSets.Count; s++)
        {
            for (var r = 0; r < allSets[s].RangeCount; r++)
            {
                toggles.Add(((long)allSets[s].First(r) << 16) | (s + 1L));
                toggles.Add(((allSets[s].Last(r) + 1L) << 16) | (s + 1L));
            }
        }

        toggles.Sort();
        var classIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var classMasks = new List<ulong>();
        var classIsWord = new List<bool>();
        var current = new ulong[words];
        var isWord = false;
        int ClassOfCurrent()
        {
            var key = new string(MemoryMarshal.Cast<ulong, char>(current.AsSpan())) + (isWord ? "w" : "-");
            if (!classIds.TryGetValue(key, out var id))
            {
                if (classIds.Count == FilterRegex.MaxCharacterClasses)
                {
                    throw new FilterRegexException(0, string.Create(
                        CultureInfo.InvariantCulture,
                        $"the regex tells apart more than {FilterRegex.MaxCharacterClasses} classes of characters: use fewer distinct character sets"));
                }

                id = classIds.Count;
                classIds[key] = id;
                classMasks.AddRange(current);
                classIsWord.Add(isWord);
            }

            return id;
        }

        var ascii = new byte[128];
        var segmentStart = new List<char>();
        var segmentClass = new List<byte>();
        var from = 0;
        foreach (var toggle in toggles)
        {
            var at = (int)(toggle >> 16);
            var set = (int)(toggle & 0xFFFF) - 1;
            if (at > from)
            {
                var id = (byte)ClassOfCurrent();
                if (from < 128)
                {
                    ascii.AsSpan(from, Math.Min(at, 128) - from).Fill(id);
                }
                else if (segmentClass.Count == 0 || segmentClass[^1] != id)
                {
                    segmentStart.Add((char)from);
                    segmentClass.Add(id);
                }

                from = at;
            }

            if (set >= 0)
            {
                for (var w = 0; w < words; w++)
                {
                    current[w] ^= setMasks[set][w];
                }

                isWord ^= set == wordSet;
            }
        }

        return (ascii, [.. segmentStart], [.. segmentClass], [.. classMasks], [.. classIsWord]);
    }

    private enum StateRole
    {
        Start,
        Atom,
        End,
    }

    /// <param name="Role">An alternative's start, an atom copy, or an alternative's end.</param>
    /// <param name="Gap">The assertions between the previous state and this one.</param>
    /// <param name="Set">Index of the atom's character set.</param>
    /// <param name="Skippable">The copy may be left out (beyond the repetition's minimum).</param>
    /// <param name="Loops">The copy may repeat (the last copy of an unbounded repetition).</param>
    private readonly record struct State(StateRole Role, RegexAnchor Gap, int Set, bool Skippable, bool Loops);
}

/// <summary>One word of the masks that do not depend on the boundary.</summary>
/// <param name="Start">Each alternative's start state (always active: the search may begin anywhere).</param>
/// <param name="End">Each alternative's end state: reaching one is a match.</param>
/// <param name="Loop">States that may repeat.</param>
internal readonly record struct StateWord(ulong Start, ulong End, ulong Loop);

/// <summary>One word of the masks that depend on which assertions hold at the boundary.</summary>
/// <param name="Passable">States whose preceding gap's assertions hold.</param>
/// <param name="Optional">Skippable states whose following gap's assertions hold.</param>
/// <param name="RunStart">The lowest state of each run of <paramref name="Optional"/> states.</param>
/// <param name="RunEnd">The highest state of each run of <paramref name="Optional"/> states.</param>
internal readonly record struct GapWord(ulong Passable, ulong Optional, ulong RunStart, ulong RunEnd);
