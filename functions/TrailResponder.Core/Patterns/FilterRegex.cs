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

    private readonly PositionAutomaton _automaton;

    private FilterRegex(string text, PositionAutomaton automaton)
    {
        Text = text;
        _automaton = automaton;
    }

    /// <summary>The regex as written, without the percent signs.</summary>
    public string Text { get; }

    /// <summary>The number of automaton states; the time per character grows with it in steps of 64.</summary>
    public int StateCount => _automaton.States;

    /// <summary>The number of character classes the regex tells apart.</summary>
    public int ClassCount => _automaton.ClassIsWord.Length;

    /// <summary>The bytes the compiled automaton's tables hold (not counting object headers).</summary>
    public long TableBytes => _automaton.TableBytes;

    /// <summary>Compiles a regex body (the text between the percent signs).</summary>
    /// <exception cref="FilterRegexException">The regex is invalid, unsupported, or larger than the bounds above.</exception>
    internal static FilterRegex Compile(string body) => new(body, PositionAutomaton.Build(FilterRegexParser.Parse(body, MaxRepetition)));

    /// <summary>Whether the regex matches anywhere in <paramref name="value"/>.</summary>
    public bool IsMatch(ReadOnlySpan<char> value) => _automaton.Words == 1 ? IsMatchOneWord(value) : IsMatchManyWords(value);

    /// <inheritdoc />
    public override string ToString() => Text;

    private int ClassOf(char c)
    {
        if (c < 128)
        {
            return _automaton.AsciiClass[c];
        }

        var index = Array.BinarySearch(_automaton.SegmentStart, c);
        return _automaton.SegmentClass[index < 0 ? ~index - 1 : index];
    }

    // Which assertions hold at the boundary before value[i] (i == value.Length: the end), as an index into the gap masks.
    private int KindAt(ReadOnlySpan<char> value, int i, int currentClass, ref bool previousIsWord)
    {
        var kind = 0;
        if (i == 0)
        {
            kind |= PositionAutomaton.AtStart;
        }

        if (i == value.Length)
        {
            kind |= PositionAutomaton.AtEnd | PositionAutomaton.AtEndOrFinalNewline;
        }
        else if (i == value.Length - 1 && value[i] == '\n')
        {
            kind |= PositionAutomaton.AtEndOrFinalNewline;
        }

        var isWord = currentClass >= 0 && _automaton.ClassIsWord[currentClass];
        if (isWord != previousIsWord)
        {
            kind |= PositionAutomaton.OnWordBoundary;
        }

        previousIsWord = isWord;
        return kind & _automaton.KindBits;
    }

    // The common case (at most 64 states): the steps of IsMatchManyWords on one word.
    private bool IsMatchOneWord(ReadOnlySpan<char> value)
    {
        var state = _automaton.StateWords[0];
        var gaps = _automaton.GapWords[0];
        var hasOptional = _automaton.KindHasOptional[0];
        var previousIsWord = false;
        ulong active = 0;
        for (var i = 0; ; i++)
        {
            var cls = i < value.Length ? ClassOf(value[i]) : -1;
            if (_automaton.KindBits != 0)
            {
                var kind = KindAt(value, i, cls, ref previousIsWord);
                gaps = _automaton.GapWords[kind];
                hasOptional = _automaton.KindHasOptional[kind];
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

            active = (next | (active & state.Loop)) & _automaton.ClassMasks[cls];
            if (active == 0 && _automaton.AnchoredAtStart)
            {
                return false;
            }
        }
    }

    private bool IsMatchManyWords(ReadOnlySpan<char> value)
    {
        var words = _automaton.Words;
        Span<ulong> active = stackalloc ulong[words];
        active.Clear();
        var previousIsWord = false;
        for (var i = 0; ; i++)
        {
            var cls = i < value.Length ? ClassOf(value[i]) : -1;
            var kind = _automaton.KindBits == 0 ? 0 : KindAt(value, i, cls, ref previousIsWord);
            var gaps = _automaton.GapWords.AsSpan(kind * words, words);
            var classMask = _automaton.ClassMasks.AsSpan(Math.Max(cls, 0) * words, words);
            var (matched, anyActive) = _automaton.KindHasOptional[kind]
                ? Step<Skipping>(active, gaps, classMask)
                : Step<NotSkipping>(active, gaps, classMask);
            if (matched)
            {
                return true;
            }

            if (cls < 0 || (!anyActive && _automaton.AnchoredAtStart))
            {
                return false;
            }
        }
    }

    // One character: move every active state (and every alternative's start) across the gap to the next state; where
    // skippable states may be skipped, pass the reach on through them: within each run of them, fill upwards from the
    // lowest reached one (adding the run's first bit to its unreached states carries up to it), and the last state of
    // a reached run passes it to the state after the run. Then keep the looping states, and of all those the ones the
    // character belongs to.
    private (bool Matched, bool AnyActive) Step<TSkipping>(Span<ulong> active, ReadOnlySpan<GapWord> gaps, ReadOnlySpan<ulong> classMask)
        where TSkipping : struct, ISkipping
    {
        ReadOnlySpan<StateWord> states = _automaton.StateWords.AsSpan(0, active.Length);
        gaps = gaps[..active.Length];
        classMask = classMask[..active.Length];
        ulong shiftCarry = 0, addCarry = 0, endCarry = 0, anyActive = 0, matched = 0;
        for (var w = 0; w < active.Length; w++)
        {
            var gap = gaps[w];
            var moving = active[w] | states[w].Start;
            var next = ((moving << 1) | shiftCarry) & gap.Passable;
            shiftCarry = moving >> 63;
            if (TSkipping.Skips)
            {
                var unreached = gap.Optional & ~next;
                var partial = unreached + gap.RunStart;
                var sum = partial + addCarry;
                addCarry = ((partial < unreached) | (sum < partial)) ? 1UL : 0UL;
                next |= gap.Optional & ~(sum ^ unreached);

                var runEnds = next & gap.RunEnd;
                next |= (runEnds << 1) | endCarry;
                endCarry = runEnds >> 63;
            }

            matched |= next & states[w].End;
            var stays = (next | (active[w] & states[w].Loop)) & classMask[w];
            active[w] = stays;
            anyActive |= stays;
        }

        return (matched != 0, anyActive != 0);
    }

    // Whether a step passes the reach through skippable states. A type argument rather than a flag: each variant is
    // compiled on its own, so regexes without skippable states do not pay for the carry chain.
    private interface ISkipping
    {
        static abstract bool Skips { get; }
    }

    private readonly struct Skipping : ISkipping
    {
        public static bool Skips => true;
    }

    private readonly struct NotSkipping : ISkipping
    {
        public static bool Skips => false;
    }
}
