using System.Globalization;
using System.Runtime.InteropServices;

namespace TrailResponder.Core.Patterns;

/// <summary>
/// A filter-pattern <c>%regex%</c>, compiled to a bit-parallel position automaton whose cost is fixed when it loads:
/// every character of a value costs the same few word operations per 64 states, whatever the value holds.
/// </summary>
/// <remarks>
/// <para>
/// Filter-pattern regexes have no groups, so each alternative is a chain of atoms, each atom repeated by its
/// quantifier: <c>x{2,4}</c> becomes the states <c>x x x? x?</c>, <c>x*</c> one skippable state that loops,
/// <c>x+</c> one state that loops. A value is scanned once, left to right, keeping the set of states that the text
/// so far can end in as a bit set (Shift-And, extended with skippable and looping states as in Navarro and
/// Raffinot, "Flexible Pattern Matching in Strings", 2002). There is no backtracking and no lazily built DFA whose
/// size depends on the input, so no value can make a regex slow: the time per character grows only with
/// <see cref="StateCount"/>, which is bounded by <see cref="MaxStates"/>.
/// </para>
/// <para>
/// The syntax and the meaning of every atom are .NET's (<c>\w</c> is Unicode-aware, <c>$</c> also matches before a
/// final newline, <c>.</c> is anything but a newline): .NET's parser validates the regex and each atom's set of
/// characters is taken from .NET's engine (see <see cref="CodeUnitSet"/>). Matching is a search (unanchored, like
/// <c>Regex.IsMatch</c>) over UTF-16 code units.
/// </para>
/// </remarks>
public sealed class FilterRegex
{
    /// <summary>Most automaton states a regex may have: one per atom copy, plus two per alternative.</summary>
    public const int MaxStates = 512;

    /// <summary>Largest count allowed in a <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> repetition.</summary>
    public const int MaxRepetition = 500;

    /// <summary>Most classes of characters a regex may tell apart (characters every state treats alike are one class).</summary>
    public const int MaxCharacterClasses = 256;

    /// <summary>Most places above U+007F where a regex's character sets may start or stop.</summary>
    public const int MaxSetBoundaries = 8192;

    // What holds at the boundary before a character; the index into _kinds.
    private const int AtStart = 1;
    private const int AtEnd = 2;
    private const int AtEndOrFinalNewline = 4;
    private const int OnWordBoundary = 8;

    private readonly int _words;
    private readonly StateWord[] _stateWords;
    private readonly GapWord[] _gapWords;
    private readonly bool[] _kindHasOptional;
    private readonly int _kindBits;
    private readonly bool _anchoredAtStart;
    private readonly byte[] _asciiClass;
    private readonly char[] _segmentStart;
    private readonly byte[] _segmentClass;
    private readonly ulong[] _classMasks;
    private readonly bool[] _classIsWord;

    private FilterRegex(string text, Automaton automaton)
    {
        Text = text;
        StateCount = automaton.States;
        _words = automaton.Words;
        _stateWords = automaton.StateWords;
        _gapWords = automaton.GapWords;
        _kindHasOptional = automaton.KindHasOptional;
        _kindBits = automaton.KindBits;
        _anchoredAtStart = automaton.AnchoredAtStart;
        _asciiClass = automaton.AsciiClass;
        _segmentStart = automaton.SegmentStart;
        _segmentClass = automaton.SegmentClass;
        _classMasks = automaton.ClassMasks;
        _classIsWord = automaton.ClassIsWord;
    }

    /// <summary>The regex as written, without the percent signs.</summary>
    public string Text { get; }

    /// <summary>The number of automaton states; the time per character grows with it in steps of 64.</summary>
    public int StateCount { get; }

    /// <summary>The number of character classes the regex tells apart.</summary>
    public int ClassCount => _classIsWord.Length;

    /// <summary>The bytes the compiled automaton's tables hold (not counting object headers).</summary>
    public long TableBytes =>
        (24L * _stateWords.Length) + (32L * _gapWords.Length) + (8L * _classMasks.Length)
        + _asciiClass.Length + (3L * _segmentStart.Length) + _classIsWord.Length + _kindHasOptional.Length;

    /// <summary>Compiles a regex body (the text between the percent signs).</summary>
    /// <exception cref="FilterRegexException">The regex is invalid, unsupported, or larger than the bounds above.</exception>
    internal static FilterRegex Compile(string body) => new(body, Automaton.Build(FilterRegexParser.Parse(body, MaxRepetition)));

    /// <summary>Whether the regex matches anywhere in <paramref name="value"/>.</summary>
    public bool IsMatch(ReadOnlySpan<char> value) => _words == 1 ? IsMatchOneWord(value) : IsMatchManyWords(value);

    /// <inheritdoc />
    public override string ToString() => Text;

    private int ClassOf(char c)
    {
        if (c < 128)
        {
            return _asciiClass[c];
        }

        var index = Array.BinarySearch(_segmentStart, c);
        return _segmentClass[index < 0 ? ~index - 1 : index];
    }

    // Which assertions hold at the boundary before value[i] (i == value.Length: the end), as an index into the gap masks.
    private int KindAt(ReadOnlySpan<char> value, int i, int currentClass, ref bool previousIsWord)
    {
        var kind = 0;
        if (i == 0)
        {
            kind |= AtStart;
        }

        if (i == value.Length)
        {
            kind |= AtEnd | AtEndOrFinalNewline;
        }
        else if (i == value.Length - 1 && value[i] == '\n')
        {
            kind |= AtEndOrFinalNewline;
        }

        var isWord = currentClass >= 0 && _classIsWord[currentClass];
        if (isWord != previousIsWord)
        {
            kind |= OnWordBoundary;
        }

        previousIsWord = isWord;
        return kind & _kindBits;
    }

    // The common case (at most 64 states): the steps of IsMatchManyWords on one word.
    private bool IsMatchOneWord(ReadOnlySpan<char> value)
    {
        var state = _stateWords[0];
        var gaps = _gapWords[0];
        var hasOptional = _kindHasOptional[0];
        var previousIsWord = false;
        ulong active = 0;
        for (var i = 0; ; i++)
        {
            var cls = i < value.Length ? ClassOf(value[i]) : -1;
            if (_kindBits != 0)
            {
                var kind = KindAt(value, i, cls, ref previousIsWord);
                gaps = _gapWords[kind];
                hasOptional = _kindHasOptional[kind];
            }

            var next = ((active | state.Start) << 1) & gaps.Passable;
            if (hasOptional)
            {
                var unreached = gaps.Optional & ~next;
                next |= gaps.Optional & ~((unreached + gaps.RunStart) ^ unreached);
                next |= (next & gaps.RunEnd) << 1;
            }

            if ((next & state.End) != 0)
            {
                return true;
            }

            if (cls < 0)
            {
                return false;
            }

            active = (next | (active & state.Loop)) & _classMasks[cls];
            if (active == 0 && _anchoredAtStart)
            {
                return false;
            }
        }
    }

    private bool IsMatchManyWords(ReadOnlySpan<char> value)
    {
        var words = _words;
        Span<ulong> active = stackalloc ulong[words];
        active.Clear();
        var previousIsWord = false;
        for (var i = 0; ; i++)
        {
            var cls = i < value.Length ? ClassOf(value[i]) : -1;
            var kind = _kindBits == 0 ? 0 : KindAt(value, i, cls, ref previousIsWord);
            var (matched, anyActive) = _kindHasOptional[kind]
                ? StepWithOptional(active, _gapWords.AsSpan(kind * words, words), _classMasks.AsSpan(Math.Max(cls, 0) * words, words))
                : Step(active, _gapWords.AsSpan(kind * words, words), _classMasks.AsSpan(Math.Max(cls, 0) * words, words));
            if (matched)
            {
                return true;
            }

            if (cls < 0 || (!anyActive && _anchoredAtStart))
            {
                return false;
            }
        }
    }

    // One character for regexes without skippable states here: move every active state (and every alternative's
    // start) across the gap to the next state, keep the looping ones, and keep those the character belongs to.
    private (bool Matched, bool AnyActive) Step(Span<ulong> active, ReadOnlySpan<GapWord> gaps, ReadOnlySpan<ulong> classMask)
    {
        ReadOnlySpan<StateWord> states = _stateWords.AsSpan(0, active.Length);
        gaps = gaps[..active.Length];
        classMask = classMask[..active.Length];
        ulong shiftCarry = 0, anyActive = 0, matched = 0;
        for (var w = 0; w < active.Length; w++)
        {
            var moving = active[w] | states[w].Start;
            var next = ((moving << 1) | shiftCarry) & gaps[w].Passable;
            shiftCarry = moving >> 63;
            matched |= next & states[w].End;
            var stays = (next | (active[w] & states[w].Loop)) & classMask[w];
            active[w] = stays;
            anyActive |= stays;
        }

        return (matched != 0, anyActive != 0);
    }

    // The same, where skippable states pass the reach on: within each run of them, fill upwards from the lowest reached
    // one (adding the run's first bit to its unreached states carries up to it), and the last state of a reached run
    // passes it to the state after the run.
    private (bool Matched, bool AnyActive) StepWithOptional(Span<ulong> active, ReadOnlySpan<GapWord> gaps, ReadOnlySpan<ulong> classMask)
    {
        ReadOnlySpan<StateWord> states = _stateWords.AsSpan(0, active.Length);
        gaps = gaps[..active.Length];
        classMask = classMask[..active.Length];
        ulong shiftCarry = 0, addCarry = 0, endCarry = 0, anyActive = 0, matched = 0;
        for (var w = 0; w < active.Length; w++)
        {
            var gap = gaps[w];
            var moving = active[w] | states[w].Start;
            var next = ((moving << 1) | shiftCarry) & gap.Passable;
            shiftCarry = moving >> 63;

            var unreached = gap.Optional & ~next;
            var partial = unreached + gap.RunStart;
            var sum = partial + addCarry;
            addCarry = ((partial < unreached) | (sum < partial)) ? 1UL : 0UL;
            next |= gap.Optional & ~(sum ^ unreached);

            var runEnds = next & gap.RunEnd;
            next |= (runEnds << 1) | endCarry;
            endCarry = runEnds >> 63;

            matched |= next & states[w].End;
            var stays = (next | (active[w] & states[w].Loop)) & classMask[w];
            active[w] = stays;
            anyActive |= stays;
        }

        return (matched != 0, anyActive != 0);
    }

    /// <summary>One word of the masks that do not depend on the boundary.</summary>
    /// <param name="Start">Each alternative's start state (always active: the search may begin anywhere).</param>
    /// <param name="End">Each alternative's end state: reaching one is a match.</param>
    /// <param name="Loop">States that may repeat.</param>
    private readonly record struct StateWord(ulong Start, ulong End, ulong Loop);

    /// <summary>One word of the masks that depend on which assertions hold at the boundary.</summary>
    /// <param name="Passable">States whose preceding gap's assertions hold.</param>
    /// <param name="Optional">Skippable states whose following gap's assertions hold.</param>
    /// <param name="RunStart">The lowest state of each run of <paramref name="Optional"/> states.</param>
    /// <param name="RunEnd">The highest state of each run of <paramref name="Optional"/> states.</param>
    private readonly record struct GapWord(ulong Passable, ulong Optional, ulong RunStart, ulong RunEnd);

    /// <summary>The automaton's tables, built from the parsed alternatives.</summary>
    private sealed class Automaton
    {
        public int States { get; private init; }

        public int Words { get; private init; }

        public StateWord[] StateWords { get; private init; } = [];

        public GapWord[] GapWords { get; private init; } = [];

        public bool[] KindHasOptional { get; private init; } = [];

        public int KindBits { get; private init; }

        public bool AnchoredAtStart { get; private init; }

        public byte[] AsciiClass { get; private init; } = [];

        public char[] SegmentStart { get; private init; } = [];

        public byte[] SegmentClass { get; private init; } = [];

        public ulong[] ClassMasks { get; private init; } = [];

        public bool[] ClassIsWord { get; private init; } = [];

        public static Automaton Build(List<List<RegexElement>> alternatives)
        {
            var states = new List<State>();
            var sets = new List<CodeUnitSet>();
            var setOfAtom = new Dictionary<string, int>(StringComparer.Ordinal);
            var boundaries = 0;
            void Add(State state, int offset)
            {
                if (states.Count == MaxStates)
                {
                    throw new FilterRegexException(offset, string.Create(
                        CultureInfo.InvariantCulture,
                        $"the regex needs more than {MaxStates} automaton states (one per character or class, one per repeated copy, two per alternative)"));
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
            return new Automaton
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
            if (boundaries > MaxSetBoundaries)
            {
                throw new FilterRegexException(element.Offset, string.Create(
                    CultureInfo.InvariantCulture,
                    $"the regex's character sets start or stop at more than {MaxSetBoundaries} places above U+007F: use fewer or simpler Unicode classes"));
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
                    if (classIds.Count == MaxCharacterClasses)
                    {
                        throw new FilterRegexException(0, string.Create(
                            CultureInfo.InvariantCulture,
                            $"the regex tells apart more than {MaxCharacterClasses} classes of characters: use fewer distinct character sets"));
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
