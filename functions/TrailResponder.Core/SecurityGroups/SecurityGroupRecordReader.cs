using System.Globalization;
using System.Text.Json;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>Reads the EC2 security-group shapes of a CloudTrail record into a <see cref="SecurityGroupChange"/>.</summary>
/// <remarks>
/// EC2 records use the query/XML naming: lists are <c>{"items": [...]}</c> and an empty list is <c>{}</c>.
/// ModifySecurityGroupRules is recorded with PascalCase wrappers whose exact form varies, so it is read
/// case-insensitively and accepts one rule as an object or several as an array.
/// </remarks>
internal static class SecurityGroupRecordReader
{
    public static SecurityGroupChange Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SecurityGroupEventFormatException("(root)", $"expected an object (a CloudTrail record or an EventBridge event), found {Describe(root.ValueKind)}");
        }

        var record = root;
        var path = "";
        string? envelopeRegion = null;
        string? envelopeAccount = null;
        if (root.TryGetProperty("detail-type", out _) && root.TryGetProperty("detail", out var detail))
        {
            if (detail.ValueKind != JsonValueKind.Object)
            {
                throw new SecurityGroupEventFormatException("detail", $"expected the CloudTrail record as an object, found {Describe(detail.ValueKind)}");
            }

            envelopeRegion = OptionalString(root, "region", "region");
            envelopeAccount = OptionalString(root, "account", "account");
            record = detail;
            path = "detail.";
        }
        else if (root.TryGetProperty("Records", out _))
        {
            throw new SecurityGroupEventFormatException("Records", "this is a whole log file; give one record (or one EventBridge event)");
        }

        var eventSource = OptionalString(record, "eventSource", path + "eventSource");
        var eventName = OptionalString(record, "eventName", path + "eventName");
        var errorCode = OptionalString(record, "errorCode", path + "errorCode");
        if (errorCode?.Length == 0)
        {
            errorCode = null;
        }

        var kind = Classify(eventName);
        var change = new SecurityGroupChange
        {
            EventSource = eventSource,
            EventName = eventName,
            Kind = kind,
            ErrorCode = errorCode,
            Origin = ReadOrigin(record, path, envelopeRegion, envelopeAccount),
        };

        // Only successful EC2 changes that can add access are read further: a shape the responder never acts on must not make it fail.
        if (!string.Equals(eventSource, SecurityGroupChange.Ec2EventSource, StringComparison.Ordinal))
        {
            return change;
        }

        if (errorCode is not null || kind is SecurityGroupChangeKind.Revoke or SecurityGroupChangeKind.Other)
        {
            return change with { GroupId = GroupIdIfPlain(record) };
        }

        return kind switch
        {
            SecurityGroupChangeKind.AuthorizeIngress => ReadAuthorize(record, path, change, isEgress: false),
            SecurityGroupChangeKind.AuthorizeEgress => ReadAuthorize(record, path, change, isEgress: true),
            SecurityGroupChangeKind.ModifyRules => ReadModify(record, path, change),
            _ => change,
        };
    }

    private static SecurityGroupChangeKind Classify(string? eventName) => eventName switch
    {
        "AuthorizeSecurityGroupIngress" => SecurityGroupChangeKind.AuthorizeIngress,
        "AuthorizeSecurityGroupEgress" => SecurityGroupChangeKind.AuthorizeEgress,
        "ModifySecurityGroupRules" => SecurityGroupChangeKind.ModifyRules,
        "RevokeSecurityGroupIngress" or "RevokeSecurityGroupEgress" => SecurityGroupChangeKind.Revoke,
        _ => SecurityGroupChangeKind.Other,
    };

    private static SecurityGroupEventOrigin ReadOrigin(JsonElement record, string path, string? envelopeRegion, string? envelopeAccount)
    {
        string? type = null, arn = null, issuerArn = null, accessKeyId = null, callerAccount = null;
        var identity = OptionalObject(record, "userIdentity", path + "userIdentity");
        if (identity is { } id)
        {
            var idPath = path + "userIdentity.";
            type = OptionalString(id, "type", idPath + "type");
            arn = OptionalString(id, "arn", idPath + "arn");
            accessKeyId = OptionalString(id, "accessKeyId", idPath + "accessKeyId");
            callerAccount = OptionalString(id, "accountId", idPath + "accountId");
            if (OptionalObject(id, "sessionContext", idPath + "sessionContext") is { } session
                && OptionalObject(session, "sessionIssuer", idPath + "sessionContext.sessionIssuer") is { } issuer)
            {
                issuerArn = OptionalString(issuer, "arn", idPath + "sessionContext.sessionIssuer.arn");
            }
        }

        DateTimeOffset? eventTime = null;
        if (OptionalString(record, "eventTime", path + "eventTime") is { } timeText)
        {
            if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new SecurityGroupEventFormatException(path + "eventTime", $"'{timeText}' is not a time");
            }

            eventTime = time;
        }

        // The region picks the EC2 endpoint the responder calls: a value that is not a region name must never become a host.
        var region = OptionalString(record, "awsRegion", path + "awsRegion") ?? envelopeRegion;
        if (region is not null && !AwsNames.IsRegion(region))
        {
            throw new SecurityGroupEventFormatException(path + "awsRegion", $"'{NotificationText.SingleLine(region)}' is not an AWS region name");
        }

        return new SecurityGroupEventOrigin
        {
            PrincipalType = type,
            PrincipalArn = arn,
            SessionIssuerArn = issuerArn,
            AccessKeyId = string.IsNullOrEmpty(accessKeyId) ? null : accessKeyId,
            SourceIpAddress = OptionalString(record, "sourceIPAddress", path + "sourceIPAddress"),
            UserAgent = OptionalString(record, "userAgent", path + "userAgent"),
            EventTime = eventTime,
            EventId = OptionalString(record, "eventID", path + "eventID"),
            Region = region,
            AccountId = OptionalString(record, "recipientAccountId", path + "recipientAccountId") ?? envelopeAccount ?? callerAccount,
        };
    }

    private static SecurityGroupChange ReadAuthorize(JsonElement record, string path, SecurityGroupChange change, bool isEgress)
    {
        var requestPath = path + "requestParameters";
        var request = OptionalObject(record, "requestParameters", requestPath);
        var groupId = request is { } r1 ? OptionalString(r1, "groupId", requestPath + ".groupId") : null;
        var groupName = request is { } r2 ? OptionalString(r2, "groupName", requestPath + ".groupName") : null;

        var rules = new List<SecurityGroupRule>();

        // The response lists each created rule with its id and direction: the exact things to revoke.
        var responsePath = path + "responseElements";
        if (record.TryGetProperty("responseElements", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            foreach (var (item, itemPath) in Items(response, "securityGroupRuleSet", responsePath + ".securityGroupRuleSet"))
            {
                rules.Add(ReadCreatedRule(item, itemPath, groupId, isEgress));
            }
        }

        // Records older than rule ids (mid-2021) only echo the request.
        if (rules.Count == 0 && request is { } req)
        {
            foreach (var (item, itemPath) in Items(req, "ipPermissions", requestPath + ".ipPermissions"))
            {
                ExpandPermission(item, itemPath, groupId, isEgress, rules);
            }

            ReadFlatPermission(req, requestPath, groupId, isEgress, rules);
        }

        return change with
        {
            GroupId = groupId ?? FirstGroupId(rules),
            GroupName = groupName,
            Rules = rules,
        };
    }

    private static SecurityGroupRule ReadCreatedRule(JsonElement item, string path, string? requestGroupId, bool eventIsEgress)
    {
        RequireObject(item, path);
        SecurityGroupRuleSource? source = null;
        if (OptionalString(item, "cidrIpv4", path + ".cidrIpv4") is { } v4)
        {
            source = Source(() => SecurityGroupRuleSource.Ipv4Cidr(v4), path + ".cidrIpv4");
        }
        else if (OptionalString(item, "cidrIpv6", path + ".cidrIpv6") is { } v6)
        {
            source = Source(() => SecurityGroupRuleSource.Ipv6Cidr(v6), path + ".cidrIpv6");
        }
        else if (OptionalString(item, "prefixListId", path + ".prefixListId") is { } pl)
        {
            source = Source(() => SecurityGroupRuleSource.PrefixList(pl), path + ".prefixListId");
        }
        else if (OptionalObject(item, "referencedGroupInfo", path + ".referencedGroupInfo") is { } referenced
            && OptionalString(referenced, "groupId", path + ".referencedGroupInfo.groupId") is { } refGroup)
        {
            var userId = OptionalString(referenced, "userId", path + ".referencedGroupInfo.userId");
            source = Source(() => SecurityGroupRuleSource.SecurityGroup(refGroup, userId), path + ".referencedGroupInfo.groupId");
        }

        if (source is null)
        {
            throw new SecurityGroupEventFormatException(path, "names none of cidrIpv4, cidrIpv6, prefixListId, referencedGroupInfo");
        }

        return new SecurityGroupRule
        {
            RuleId = OptionalString(item, "securityGroupRuleId", path + ".securityGroupRuleId"),
            GroupId = OptionalString(item, "groupId", path + ".groupId") ?? requestGroupId,
            IsEgress = OptionalBool(item, "isEgress", path + ".isEgress") ?? eventIsEgress,
            Protocol = RequiredProtocol(item, "ipProtocol", path + ".ipProtocol"),
            FromPort = OptionalInt(item, "fromPort", path + ".fromPort"),
            ToPort = OptionalInt(item, "toPort", path + ".toPort"),
            Source = source,
            Description = OptionalString(item, "description", path + ".description"),
        };
    }

    private static void ExpandPermission(JsonElement permission, string path, string? groupId, bool isEgress, List<SecurityGroupRule> rules)
    {
        RequireObject(permission, path);
        var protocol = RequiredProtocol(permission, "ipProtocol", path + ".ipProtocol");
        var fromPort = OptionalInt(permission, "fromPort", path + ".fromPort");
        var toPort = OptionalInt(permission, "toPort", path + ".toPort");
        SecurityGroupRule Rule(SecurityGroupRuleSource source, string? description) => new()
        {
            GroupId = groupId,
            IsEgress = isEgress,
            Protocol = protocol,
            FromPort = fromPort,
            ToPort = toPort,
            Source = source,
            Description = description,
        };

        // IPv4 ranges, IPv6 ranges and prefix lists: each item names its source in one field.
        void AddSources(string list, string field, Func<string, SecurityGroupRuleSource> create)
        {
            foreach (var (item, itemPath) in Items(permission, list, path + "." + list))
            {
                RequireObject(item, itemPath);
                var value = RequiredString(item, field, itemPath + "." + field);
                rules.Add(Rule(
                    Source(() => create(value), itemPath + "." + field),
                    OptionalString(item, "description", itemPath + ".description")));
            }
        }

        AddSources("ipRanges", "cidrIp", SecurityGroupRuleSource.Ipv4Cidr);
        AddSources("ipv6Ranges", "cidrIpv6", SecurityGroupRuleSource.Ipv6Cidr);
        AddSources("prefixListIds", "prefixListId", SecurityGroupRuleSource.PrefixList);

        foreach (var (group, groupPath) in Items(permission, "groups", path + ".groups"))
        {
            RequireObject(group, groupPath);

            // Default-VPC callers may name the peer group instead of giving its id; either way it is no world exposure.
            var peer = OptionalString(group, "groupId", groupPath + ".groupId")
                ?? OptionalString(group, "groupName", groupPath + ".groupName")
                ?? throw new SecurityGroupEventFormatException(groupPath, "names neither groupId nor groupName");
            var userId = OptionalString(group, "userId", groupPath + ".userId");
            rules.Add(Rule(
                SecurityGroupRuleSource.SecurityGroup(peer, userId),
                OptionalString(group, "description", groupPath + ".description")));
        }
    }

    /// <summary>The legacy flat form: <c>cidrIp</c> or <c>sourceSecurityGroupName</c> directly under requestParameters.</summary>
    private static void ReadFlatPermission(JsonElement request, string path, string? groupId, bool isEgress, List<SecurityGroupRule> rules)
    {
        var cidr = OptionalString(request, "cidrIp", path + ".cidrIp");
        var peerGroup = OptionalString(request, "sourceSecurityGroupName", path + ".sourceSecurityGroupName");
        if (cidr is null && peerGroup is null)
        {
            return;
        }

        // EC2 refuses a CIDR without a protocol, so only the source-group form comes without one, and the legacy API then granted every protocol.
        var protocol = request.TryGetProperty("ipProtocol", out var p) && p.ValueKind != JsonValueKind.Null
            ? RequiredProtocol(request, "ipProtocol", path + ".ipProtocol")
            : SecurityGroupProtocol.All;
        var fromPort = OptionalInt(request, "fromPort", path + ".fromPort");
        var toPort = OptionalInt(request, "toPort", path + ".toPort");
        SecurityGroupRule Rule(SecurityGroupRuleSource source) => new()
        {
            GroupId = groupId,
            IsEgress = isEgress,
            Protocol = protocol,
            FromPort = fromPort,
            ToPort = toPort,
            Source = source,
        };

        if (cidr is not null)
        {
            rules.Add(Rule(Source(() => SecurityGroupRuleSource.Ipv4Cidr(cidr), path + ".cidrIp")));
        }

        if (peerGroup is not null)
        {
            var owner = OptionalString(request, "sourceSecurityGroupOwnerId", path + ".sourceSecurityGroupOwnerId");
            rules.Add(Rule(SecurityGroupRuleSource.SecurityGroup(peerGroup, owner)));
        }
    }

    private static SecurityGroupChange ReadModify(JsonElement record, string path, SecurityGroupChange change)
    {
        var requestPath = path + "requestParameters";
        if (OptionalObject(record, "requestParameters", requestPath) is not { } request)
        {
            return change;
        }

        var body = request;
        var bodyPath = requestPath;
        if (PropertyIgnoringCase(request, "ModifySecurityGroupRulesRequest", out var wrapped, out var wrappedName))
        {
            bodyPath = requestPath + "." + wrappedName;
            RequireObject(wrapped, bodyPath);
            body = wrapped;
        }

        var groupId = StringIgnoringCase(body, "GroupId", bodyPath);
        var rules = new List<SecurityGroupRule>();
        if (PropertyIgnoringCase(body, "SecurityGroupRule", out var entries, out var entriesName)
            || PropertyIgnoringCase(body, "SecurityGroupRules", out entries, out entriesName))
        {
            foreach (var (entry, entryPath) in OneOrMany(entries, bodyPath + "." + entriesName))
            {
                rules.Add(ReadModifiedRule(entry, entryPath, groupId));
            }
        }

        return change with { GroupId = groupId, Rules = rules };
    }

    private static SecurityGroupRule ReadModifiedRule(JsonElement entry, string path, string? groupId)
    {
        RequireObject(entry, path);
        var ruleId = StringIgnoringCase(entry, "SecurityGroupRuleId", path)
            ?? throw new SecurityGroupEventFormatException(path + ".SecurityGroupRuleId", "missing");
        if (!PropertyIgnoringCase(entry, "SecurityGroupRule", out var spec, out var specName))
        {
            throw new SecurityGroupEventFormatException(path + ".SecurityGroupRule", "missing");
        }

        var specPath = path + "." + specName;
        RequireObject(spec, specPath);

        SecurityGroupRuleSource? source = null;
        if (StringIgnoringCase(spec, "CidrIpv4", specPath) is { } v4)
        {
            source = Source(() => SecurityGroupRuleSource.Ipv4Cidr(v4), specPath + ".CidrIpv4");
        }
        else if (StringIgnoringCase(spec, "CidrIpv6", specPath) is { } v6)
        {
            source = Source(() => SecurityGroupRuleSource.Ipv6Cidr(v6), specPath + ".CidrIpv6");
        }
        else if (StringIgnoringCase(spec, "PrefixListId", specPath) is { } pl)
        {
            source = Source(() => SecurityGroupRuleSource.PrefixList(pl), specPath + ".PrefixListId");
        }
        else if (StringIgnoringCase(spec, "ReferencedGroupId", specPath) is { } rg)
        {
            source = SecurityGroupRuleSource.SecurityGroup(rg);
        }

        if (source is null)
        {
            throw new SecurityGroupEventFormatException(specPath, "names none of CidrIpv4, CidrIpv6, PrefixListId, ReferencedGroupId");
        }

        var protocolText = StringIgnoringCase(spec, "IpProtocol", specPath)
            ?? throw new SecurityGroupEventFormatException(specPath + ".IpProtocol", "missing");

        return new SecurityGroupRule
        {
            RuleId = ruleId,
            GroupId = groupId,
            IsEgress = null,
            Protocol = Protocol(protocolText, specPath + ".IpProtocol"),
            FromPort = IntIgnoringCase(spec, "FromPort", specPath),
            ToPort = IntIgnoringCase(spec, "ToPort", specPath),
            Source = source,
            Description = StringIgnoringCase(spec, "Description", specPath),
        };
    }

    /// <summary>The group id of a record not otherwise read, for notifications; never throws on an odd shape.</summary>
    private static string? GroupIdIfPlain(JsonElement record) =>
        record.TryGetProperty("requestParameters", out var request)
        && request.ValueKind == JsonValueKind.Object
        && request.TryGetProperty("groupId", out var groupId)
        && groupId.ValueKind == JsonValueKind.String
            ? groupId.GetString()
            : null;

    private static string? FirstGroupId(List<SecurityGroupRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.GroupId is not null)
            {
                return rule.GroupId;
            }
        }

        return null;
    }

    // ---- JSON plumbing: every failure names the field by its path in the record.

    /// <summary>An EC2 list: <c>{"items": [...]}</c>, <c>{}</c> for empty, or (defensively) a bare array.</summary>
    private static List<(JsonElement Item, string Path)> Items(JsonElement parent, string name, string path)
    {
        var result = new List<(JsonElement, string)>();
        if (!parent.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        var array = list;
        var arrayPath = path;
        if (list.ValueKind == JsonValueKind.Object)
        {
            if (!list.TryGetProperty("items", out array) || array.ValueKind == JsonValueKind.Null)
            {
                return result;
            }

            arrayPath = path + ".items";
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new SecurityGroupEventFormatException(arrayPath, $"expected a list, found {Describe(array.ValueKind)}");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            result.Add((item, string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index++}]")));
        }

        return result;
    }

    /// <summary>One object, an array of them, or an EC2 <c>{"items": [...]}</c> list.</summary>
    private static List<(JsonElement Item, string Path)> OneOrMany(JsonElement value, string path)
    {
        var result = new List<(JsonElement, string)>();
        var array = value;
        var arrayPath = path;
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (!PropertyIgnoringCase(value, "items", out array, out var itemsName))
            {
                result.Add((value, path));
                return result;
            }

            arrayPath = path + "." + itemsName;
        }

        if (array.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new SecurityGroupEventFormatException(arrayPath, $"expected an object or a list, found {Describe(array.ValueKind)}");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            result.Add((item, string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index++}]")));
        }

        return result;
    }

    private static bool PropertyIgnoringCase(JsonElement obj, string name, out JsonElement value, out string actualName)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
            {
                value = property.Value;
                actualName = property.Name;
                return true;
            }
        }

        value = default;
        actualName = name;
        return false;
    }

    private static string? StringIgnoringCase(JsonElement obj, string name, string parentPath) =>
        PropertyIgnoringCase(obj, name, out var value, out var actual) ? AsString(value, parentPath + "." + actual) : null;

    private static int? IntIgnoringCase(JsonElement obj, string name, string parentPath) =>
        PropertyIgnoringCase(obj, name, out var value, out var actual) ? AsInt(value, parentPath + "." + actual) : null;

    private static JsonElement? OptionalObject(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireObject(value, path);
        return value;
    }

    private static void RequireObject(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SecurityGroupEventFormatException(path, $"expected an object, found {Describe(value.ValueKind)}");
        }
    }

    private static string? OptionalString(JsonElement obj, string name, string path) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? AsString(value, path) : null;

    private static string RequiredString(JsonElement obj, string name, string path) =>
        OptionalString(obj, name, path) ?? throw new SecurityGroupEventFormatException(path, "missing");

    private static string AsString(JsonElement value, string path) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : throw new SecurityGroupEventFormatException(path, $"expected a string, found {Describe(value.ValueKind)}");

    private static int? OptionalInt(JsonElement obj, string name, string path) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? AsInt(value, path) : null;

    // Ports arrive as numbers; some producers write them as strings.
    private static int AsInt(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new SecurityGroupEventFormatException(path, $"expected an integer, found {Describe(value)}");
    }

    private static bool? OptionalBool(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => throw new SecurityGroupEventFormatException(path, $"expected true or false, found {Describe(value)}"),
        };
    }

    private static SecurityGroupProtocol RequiredProtocol(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new SecurityGroupEventFormatException(path, "missing");
        }

        // A protocol number is usually a string ("6") but a bare number must read the same.
        var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : AsString(value, path);
        return Protocol(text, path);
    }

    private static SecurityGroupProtocol Protocol(string text, string path)
    {
        try
        {
            return SecurityGroupProtocol.Parse(text);
        }
        catch (FormatException e)
        {
            throw new SecurityGroupEventFormatException(path, e.Message);
        }
    }

    private static SecurityGroupRuleSource Source(Func<SecurityGroupRuleSource> create, string path)
    {
        try
        {
            return create();
        }
        catch (FormatException e)
        {
            throw new SecurityGroupEventFormatException(path, e.Message);
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{value.GetString()}'",
        JsonValueKind.Number => value.GetRawText(),
        _ => Describe(value.ValueKind),
    };
}
