using System.Text.Json.Nodes;
using NJsonSchema;

namespace TrailResponder.Tests.Template;

public class TemplateSchemaTests
{
    // Committed with the tests (SamSchema/README.md says where it comes from), so nothing outside the repository is read.
    private static readonly Lazy<Task<JsonSchema>> SamSchema = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(SamTemplate.FindRepositoryRoot(), "tests", "TrailResponder.Tests", "Template", "SamSchema", "sam.schema.json")));

    private static async Task<IReadOnlyList<string>> ErrorsOf(JsonObject template) =>
        [.. (await SamSchema.Value).Validate(template.ToJsonString()).Select(e => e.ToString())];

    [Fact]
    public async Task The_template_validates_against_the_published_SAM_schema()
    {
        var errors = await ErrorsOf(SamTemplate.Load().Document);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task The_schema_check_rejects_a_misspelt_function_property()
    {
        var template = SamTemplate.Load().Document;
        var function = template["Resources"]!["LogProcessorFunction"]!["Properties"]!.AsObject();
        function["Handlr"] = function["Handler"]!.DeepClone();

        Assert.NotEmpty(await ErrorsOf(template));
    }

    [Fact]
    public async Task The_schema_check_rejects_a_malformed_event_source()
    {
        var template = SamTemplate.Load().Document;
        var events = template["Resources"]!["DigestValidatorFunction"]!["Properties"]!["Events"]!["Hourly"]!.AsObject();
        events["Type"] = "Cron";

        Assert.NotEmpty(await ErrorsOf(template));
    }

    [Fact]
    public void The_template_uses_the_SAM_transform_and_a_known_version() =>
        Assert.Multiple(
            () => Assert.Equal("AWS::Serverless-2016-10-31", SamTemplate.Load().Document["Transform"]!.GetValue<string>()),
            () => Assert.Equal("2010-09-09", SamTemplate.Load().Document["AWSTemplateFormatVersion"]!.GetValue<string>()));
}
