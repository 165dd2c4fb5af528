using System.Text.RegularExpressions;

namespace TrailResponder.Core.Delivery;

/// <summary>The shapes of the AWS names a record claims to hold: a value without the shape is never used as one.</summary>
/// <remarks>
/// Record values are written by whoever made the API call (a region of <c>evil.example/#</c> is accepted by CloudTrail as
/// text), so a value only goes into a host name, an ARN or a link after it has been checked here.
/// </remarks>
public static partial class AwsNames
{
    /// <summary>The longest region name accepted; the longest real one today has 14 characters.</summary>
    public const int MaxRegionLength = 32;

    /// <summary>
    /// True for a region-shaped name: lowercase ASCII words joined by '-', ending in a number of one or two digits, such as
    /// <c>eu-west-1</c>, <c>us-gov-west-1</c>, <c>cn-northwest-1</c>, <c>us-isob-east-1</c> or <c>eusc-de-east-1</c>.
    /// </summary>
    public static bool IsRegion(string? value) => value is { Length: > 0 and <= MaxRegionLength } && RegionShape().IsMatch(value);

    /// <summary>True for an account id: exactly 12 ASCII digits.</summary>
    public static bool IsAccountId(string? value) => value is { Length: 12 } && value.All(char.IsAsciiDigit);

    /// <summary>The partition of a region name: <c>aws-cn</c>, <c>aws-us-gov</c>, one of the isolated partitions, or <c>aws</c>.</summary>
    public static string PartitionOf(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region switch
        {
            _ when region.StartsWith("cn-", StringComparison.Ordinal) => "aws-cn",
            _ when region.StartsWith("us-gov-", StringComparison.Ordinal) => "aws-us-gov",
            _ when region.StartsWith("us-iso-", StringComparison.Ordinal) => "aws-iso",
            _ when region.StartsWith("us-isob-", StringComparison.Ordinal) => "aws-iso-b",
            _ when region.StartsWith("eu-isoe-", StringComparison.Ordinal) => "aws-iso-e",
            _ when region.StartsWith("us-isof-", StringComparison.Ordinal) => "aws-iso-f",
            _ when region.StartsWith("eusc-", StringComparison.Ordinal) => "aws-eusc",
            _ => "aws",
        };
    }

    // \z, not $: '$' would also match before a final line break. [0-9], not \d: \d matches every Unicode digit.
    // Each repetition starts with '-', so the pattern cannot backtrack more than one step per character.
    [GeneratedRegex(@"^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionShape();
}
