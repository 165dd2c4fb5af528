using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Aws;

/// <summary>The responder's EC2 calls (DescribeSecurityGroupRules, DescribeSecurityGroups, RevokeSecurityGroupIngress/Egress) over the ec2 query protocol.</summary>
public sealed partial class Ec2SecurityGroupClient : ISecurityGroupClient
{
    private const string ApiVersion = "2016-11-15";
    private const string RuleIdNotFound = "InvalidSecurityGroupRuleId.NotFound";
    private const string GroupNotFound = "InvalidGroup.NotFound";
    private const string PermissionNotFound = "InvalidPermission.NotFound";
    private readonly AwsRequestSender sender;

    internal Ec2SecurityGroupClient(AwsRequestSender sender, string region)
    {
        this.sender = sender;
        Region = region;
    }

    /// <summary>The region whose groups this client manages.</summary>
    public string Region { get; }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DescribedSecurityGroupRule>> DescribeRulesAsync(string groupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var rules = new List<DescribedSecurityGroupRule>();
        string? nextToken = null;
        do
        {
            var form = Form("DescribeSecurityGroupRules");
            // A group-id filter answers a missing group with an empty list rather than an error.
            form.Add(new("Filter.1.Name", "group-id"));
            form.Add(new("Filter.1.Value.1", groupId));
            form.Add(new("MaxResults", "1000"));
            if (nextToken is not null)
            {
                form.Add(new("NextToken", nextToken));
            }

            XElement root;
            try
            {
                root = await CallAsync("DescribeSecurityGroupRules", form, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == GroupNotFound)
            {
                return [];
            }

            foreach (var item in Items(Child(root, "securityGroupRuleSet")))
            {
                var referenced = Child(item, "referencedGroupInfo");
                rules.Add(DescribedSecurityGroupRule.Create(
                    ruleId: Text(item, "securityGroupRuleId") ?? throw new FormatException("DescribeSecurityGroupRules returned a rule without securityGroupRuleId"),
                    groupId: Text(item, "groupId") ?? groupId,
                    isEgress: string.Equals(Text(item, "isEgress"), "true", StringComparison.OrdinalIgnoreCase),
                    ipProtocol: Text(item, "ipProtocol") ?? "-1",
                    fromPort: Integer(item, "fromPort"),
                    toPort: Integer(item, "toPort"),
                    cidrIpv4: Text(item, "cidrIpv4"),
                    cidrIpv6: Text(item, "cidrIpv6"),
                    prefixListId: Text(item, "prefixListId"),
                    referencedGroupId: referenced is null ? null : Text(referenced, "groupId"),
                    referencedUserId: referenced is null ? null : Text(referenced, "userId"),
                    description: Text(item, "description"),
                    groupOwnerId: Text(item, "groupOwnerId")));
            }

            var token = Text(root, "nextToken");
            nextToken = token == nextToken ? null : token;
        }
        while (nextToken is not null);

        return rules;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>?> DescribeTagsAsync(string groupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var form = Form("DescribeSecurityGroups");
        form.Add(new("GroupId.1", groupId));
        XElement root;
        try
        {
            root = await CallAsync("DescribeSecurityGroups", form, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == GroupNotFound)
        {
            return null;
        }

        var group = Items(Child(root, "securityGroupInfo")).FirstOrDefault(g => Text(g, "groupId") == groupId);
        if (group is null)
        {
            return null;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in Items(Child(group, "tagSet")))
        {
            if (Text(tag, "key") is { } key)
            {
                tags[key] = Child(tag, "value")?.Value ?? string.Empty;
            }
        }

        return tags;
    }

    /// <inheritdoc/>
    public async Task<RevokeOutcome> RevokeRulesAsync(string groupId, bool isEgress, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentNullException.ThrowIfNull(ruleIds);
        var remaining = ruleIds.Distinct(StringComparer.Ordinal).ToList();
        var gone = new List<string>();
        var operation = isEgress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress";

        // One missing id fails the whole call and revokes nothing, so each failure drops the missing ids and tries again.
        // Every round removes at least one id, which bounds the loop.
        while (remaining.Count > 0)
        {
            var form = Form(operation);
            form.Add(new("GroupId", groupId));
            for (var i = 0; i < remaining.Count; i++)
            {
                form.Add(new(string.Create(CultureInfo.InvariantCulture, $"SecurityGroupRuleId.{i + 1}"), remaining[i]));
            }

            try
            {
                await CallAsync(operation, form, cancellationToken).ConfigureAwait(false);
                return new RevokeOutcome(remaining, gone);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == GroupNotFound)
            {
                gone.AddRange(remaining);
                return new RevokeOutcome([], gone);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode is RuleIdNotFound or PermissionNotFound)
            {
                var missing = await MissingRuleIdsAsync(groupId, remaining, ex, cancellationToken).ConfigureAwait(false);
                if (missing.Count == 0)
                {
                    // EC2 says something is gone but cannot say what: stop rather than loop.
                    throw;
                }

                gone.AddRange(missing);
                remaining.RemoveAll(missing.Contains);
            }
        }

        return new RevokeOutcome([], gone);
    }

    // The error message names the missing ids; when it does not (or names none of ours), the group's current rules tell.
    private async Task<IReadOnlyList<string>> MissingRuleIdsAsync(string groupId, List<string> requested, AwsServiceException error, CancellationToken cancellationToken)
    {
        var named = RuleIdPattern().Matches(error.ErrorMessage).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var missing = requested.Where(named.Contains).ToList();
        if (missing.Count > 0)
        {
            return missing;
        }

        var existing = (await DescribeRulesAsync(groupId, cancellationToken).ConfigureAwait(false))
            .Select(r => r.RuleId)
            .ToHashSet(StringComparer.Ordinal);
        return requested.Where(id => !existing.Contains(id)).ToList();
    }

    private async Task<XElement> CallAsync(string operation, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        var response = await sender.PostAsync(AwsService.Ec2, operation, Region, "/", content, cancellationToken).ConfigureAwait(false);
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var stream = new MemoryStream(response.Body);
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader).Root ?? throw new FormatException($"EC2 {operation} returned an empty document");
        }
        catch (XmlException ex)
        {
            throw new FormatException($"EC2 {operation} returned a response that is not XML: {ex.Message}", ex);
        }
    }

    private static List<KeyValuePair<string, string>> Form(string action) => [new("Action", action), new("Version", ApiVersion)];

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Items(XElement? list) =>
        list?.Elements().Where(e => e.Name.LocalName == "item") ?? [];

    private static string? Text(XElement parent, string localName) =>
        Child(parent, localName) is { } element && element.Value.Trim() is { Length: > 0 } value ? value : null;

    private static int? Integer(XElement parent, string localName) =>
        Text(parent, localName) is { } text && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex("sgr-[0-9a-zA-Z]+", RegexOptions.CultureInvariant)]
    private static partial Regex RuleIdPattern();
}
