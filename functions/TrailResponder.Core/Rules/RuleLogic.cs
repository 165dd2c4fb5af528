using TrailResponder.Core.Json;

namespace TrailResponder.Core.Rules;

/// <summary>What a detection rule tests, in the language it was written in (a filter pattern or a Sigma detection).</summary>
/// <remarks>
/// A <see cref="RuleSet"/> collects the <see cref="Fields"/> of all its rules into one <see cref="FieldLayout"/>, so a
/// single pass over a record serves every rule, then binds each rule's logic to that layout with <see cref="Compile"/>.
/// </remarks>
public abstract class RuleLogic
{
    /// <summary>The language, as <c>rules list</c> shows it: <c>filter-pattern</c> or <c>sigma</c>.</summary>
    public abstract string Language { get; }

    /// <summary>The field paths the layout must extract for this logic.</summary>
    public abstract IReadOnlyList<FieldPath> Fields { get; }

    /// <summary>The record fields the rule reads, as a person would write them (e.g. <c>userIdentity.type</c>).</summary>
    public abstract IReadOnlyList<string> FieldNames { get; }

    /// <summary>
    /// Keys of which a record must satisfy at least one for the rule to be able to match; null when there is no such
    /// set (the rule is evaluated on every record).
    /// </summary>
    public abstract IReadOnlyList<RuleKey>? Requirement { get; }

    /// <summary>Binds the logic to a layout that holds all of its <see cref="Fields"/>.</summary>
    public abstract RecordTest Compile(FieldLayout layout);
}

/// <summary>A rule's logic bound to a layout: decides a record from its bytes and extracted slots.</summary>
public abstract class RecordTest
{
    /// <summary>Whether the record whose slots are given satisfies the rule.</summary>
    public abstract bool Matches(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots);
}

/// <summary>
/// A condition on one field that a rule needs: the field has the text <see cref="Value"/> (compared ignoring case),
/// or, when <see cref="Value"/> is null, the field is present.
/// </summary>
/// <remarks>Used only to skip rules that cannot match; a rule that passes its keys is still evaluated in full.</remarks>
public sealed record RuleKey(FieldPath Path, string? Value)
{
    /// <summary>The field has this text.</summary>
    public static RuleKey Equal(FieldPath path, string value) => new(path, value);

    /// <summary>The field is present.</summary>
    public static RuleKey Present(FieldPath path) => new(path, null);
}
