namespace TrailResponder.Core.SecurityGroups;

/// <summary>A tag a security group can carry to be exempt: <c>Key=Value</c>, or <c>Key</c> alone for any value.</summary>
public sealed record SecurityGroupTagCondition(string Key, string? Value)
{
    /// <summary>Reads <c>Key=Value</c> or <c>Key</c>; null when the text is not one (empty key).</summary>
    public static SecurityGroupTagCondition? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var key = (equals < 0 ? text : text[..equals]).Trim();
        if (key.Length == 0 || key.Length > 128)
        {
            return null;
        }

        return new SecurityGroupTagCondition(key, equals < 0 ? null : text[(equals + 1)..].Trim());
    }

    /// <summary>True when the tags carry the key (and the value, when one is required). EC2 tags are case-sensitive, so is this.</summary>
    public bool IsMetBy(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.TryGetValue(Key, out var actual) && (Value is null || string.Equals(actual, Value, StringComparison.Ordinal));
    }

    /// <summary><c>Key=Value</c> or <c>Key</c>.</summary>
    public override string ToString() => Value is null ? Key : Key + "=" + Value;
}
