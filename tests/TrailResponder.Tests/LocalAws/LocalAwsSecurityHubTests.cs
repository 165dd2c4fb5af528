using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsSecurityHubTests
{
    internal static JsonObject Finding(string id, string updatedAt = "2025-01-02T03:04:09.312Z", string title = "SSH open to the world") => new()
    {
        ["SchemaVersion"] = "2018-10-08",
        ["Id"] = id,
        ["ProductArn"] = "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default",
        ["GeneratorId"] = "trailresponder/sg-open-world",
        ["AwsAccountId"] = "111122223333",
        ["Types"] = new JsonArray("Effects/Data Exfiltration"),
        ["CreatedAt"] = "2025-01-02T03:04:09.312Z",
        ["UpdatedAt"] = updatedAt,
        ["Severity"] = new JsonObject { ["Label"] = "HIGH", ["Original"] = "HIGH" },
        ["Title"] = title,
        ["Description"] = "Rule sgr-1 opened tcp/22 to 0.0.0.0/0 and was revoked.",
        ["Resources"] = new JsonArray(new JsonObject { ["Type"] = "AwsEc2SecurityGroup", ["Id"] = "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1" }),
    };

    internal static string Import(params JsonObject[] findings) => new JsonObject { ["Findings"] = new JsonArray([.. findings]) }.ToJsonString();

    [Fact]
    public async Task Imported_findings_are_stored_by_id()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");

        var answer = await hub.PostJsonAsync("/findings/import", Import(Finding("f-1"), Finding("f-2")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(2, answer.Json.GetProperty("SuccessCount").GetInt32());
        Assert.Equal(0, answer.Json.GetProperty("FailedCount").GetInt32());
        Assert.Equal(["f-1", "f-2"], endpoint.SecurityHub.Findings.Keys.Order());
    }

    [Fact]
    public async Task Re_import_with_a_later_UpdatedAt_replaces_the_finding()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        await hub.PostJsonAsync("/findings/import", Import(Finding("f-1")));

        await hub.PostJsonAsync("/findings/import", Import(Finding("f-1", "2025-01-02T04:00:00.000Z", "Updated title")));

        var stored = JsonDocument.Parse(Assert.Single(endpoint.SecurityHub.Findings).Value).RootElement;
        Assert.Equal("Updated title", stored.GetProperty("Title").GetString());
    }

    [Fact]
    public async Task Finding_missing_a_required_attribute_is_a_failed_finding_not_a_failed_call()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        var withoutTitle = Finding("f-bad");
        withoutTitle.Remove("Title");

        var answer = await hub.PostJsonAsync("/findings/import", Import(Finding("f-good"), withoutTitle));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal((1, 1), (answer.Json.GetProperty("SuccessCount").GetInt32(), answer.Json.GetProperty("FailedCount").GetInt32()));
        var failed = Assert.Single(answer.Json.GetProperty("FailedFindings").EnumerateArray());
        Assert.Equal("f-bad", failed.GetProperty("Id").GetString());
        Assert.Equal("InvalidInput", failed.GetProperty("ErrorCode").GetString());
        Assert.StartsWith("Finding does not adhere to Amazon Finding Format.", failed.GetProperty("ErrorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(["f-good"], endpoint.SecurityHub.Findings.Keys);
    }

    [Theory]
    [InlineData("Severity")]
    [InlineData("Resources")]
    [InlineData("Types")]
    [InlineData("AwsAccountId")]
    public async Task Each_required_ASFF_attribute_is_checked(string attribute)
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        var finding = Finding("f-1");
        finding.Remove(attribute);

        var answer = await hub.PostJsonAsync("/findings/import", Import(finding));

        Assert.Equal(1, answer.Json.GetProperty("FailedCount").GetInt32());
        Assert.Empty(endpoint.SecurityHub.Findings);
    }

    [Fact]
    public async Task More_than_100_findings_fail_the_whole_call()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");

        var answer = await hub.PostJsonAsync("/findings/import", Import([.. Enumerable.Range(0, 101).Select(i => Finding($"f-{i}"))]));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidInputException", answer.ErrorCode);
        Assert.Equal("InvalidInputException", answer.Headers["x-amzn-ErrorType"]);
        Assert.Empty(endpoint.SecurityHub.Findings);
    }

    [Fact]
    public async Task Re_import_with_an_earlier_UpdatedAt_is_ignored()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        await hub.PostJsonAsync("/findings/import", Import(Finding("f-1", "2025-01-02T04:00:00.000Z", "Newer")));

        await hub.PostJsonAsync("/findings/import", Import(Finding("f-1", "2025-01-02T03:00:00.000Z", "Older")));

        Assert.Equal("Newer", JsonDocument.Parse(endpoint.SecurityHub.Findings["f-1"]).RootElement.GetProperty("Title").GetString());
    }

    [Fact]
    public async Task Re_import_leaves_the_customer_owned_workflow_and_note_alone()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        var original = Finding("f-1");
        original["Workflow"] = new JsonObject { ["Status"] = "NEW" };
        await hub.PostJsonAsync("/findings/import", Import(original));
        var update = Finding("f-1", "2025-01-02T05:00:00.000Z");
        update["Workflow"] = new JsonObject { ["Status"] = "RESOLVED" };
        update["Note"] = new JsonObject { ["Text"] = "provider note", ["UpdatedBy"] = "p", ["UpdatedAt"] = "2025-01-02T05:00:00.000Z" };

        await hub.PostJsonAsync("/findings/import", Import(update));

        var stored = JsonDocument.Parse(endpoint.SecurityHub.Findings["f-1"]).RootElement;
        Assert.Equal("NEW", stored.GetProperty("Workflow").GetProperty("Status").GetString());
        Assert.False(stored.TryGetProperty("Note", out _));
        Assert.Equal("2025-01-02T05:00:00.000Z", stored.GetProperty("UpdatedAt").GetString());
    }
}
