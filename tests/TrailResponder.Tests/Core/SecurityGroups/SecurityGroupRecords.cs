using System.Text.Json;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Tests.Core.SecurityGroups;

/// <summary>CloudTrail records for tests: the fixture files, and small records built around one permission.</summary>
internal static class SecurityGroupRecords
{
    public static string FixturePath(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Core", "SecurityGroups", "Fixtures", name);

    public static JsonElement Fixture(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FixturePath(name)), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.Clone();
    }

    public static SecurityGroupChange FixtureChange(string name) => SecurityGroupChange.Parse(Fixture(name));

    /// <summary>A successful Authorize record without rule ids whose request holds the given <c>ipPermissions.items</c>.</summary>
    public static SecurityGroupChange Authorize(string permissionsJson, string eventName = "AuthorizeSecurityGroupIngress", string callerArn = "arn:aws:iam::111122223333:user/jdoe") =>
        SecurityGroupChange.Parse(Json($$"""
            {
              "userIdentity": { "type": "IAMUser", "arn": "{{callerArn}}", "accountId": "111122223333" },
              "eventTime": "2024-05-06T09:02:37Z",
              "eventSource": "ec2.amazonaws.com",
              "eventName": "{{eventName}}",
              "awsRegion": "eu-west-1",
              "requestParameters": { "groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": { "items": [ {{permissionsJson}} ] } },
              "responseElements": { "requestId": "r", "_return": true },
              "eventID": "e1"
            }
            """));

    /// <summary>One permission with one source: <c>Permission("tcp", 22, 22, "cidrIp", "0.0.0.0/0")</c>.</summary>
    public static string Permission(string protocol, int? fromPort, int? toPort, string sourceField, string source)
    {
        var ports = fromPort is null ? "" : $"\"fromPort\": {fromPort}, \"toPort\": {toPort},";
        var list = sourceField switch
        {
            "cidrIp" => $"\"ipRanges\": {{ \"items\": [ {{ \"cidrIp\": \"{source}\" }} ] }}, \"ipv6Ranges\": {{}}, \"prefixListIds\": {{}}, \"groups\": {{}}",
            "cidrIpv6" => $"\"ipRanges\": {{}}, \"ipv6Ranges\": {{ \"items\": [ {{ \"cidrIpv6\": \"{source}\" }} ] }}, \"prefixListIds\": {{}}, \"groups\": {{}}",
            "prefixListId" => $"\"ipRanges\": {{}}, \"ipv6Ranges\": {{}}, \"prefixListIds\": {{ \"items\": [ {{ \"prefixListId\": \"{source}\" }} ] }}, \"groups\": {{}}",
            "groupId" => $"\"ipRanges\": {{}}, \"ipv6Ranges\": {{}}, \"prefixListIds\": {{}}, \"groups\": {{ \"items\": [ {{ \"groupId\": \"{source}\", \"userId\": \"111122223333\" }} ] }}",
            _ => throw new ArgumentException(sourceField),
        };
        return $"{{ \"ipProtocol\": \"{protocol}\", {ports} {list} }}";
    }

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
