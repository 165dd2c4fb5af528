using System.Text.Json.Nodes;

namespace TrailResponder.Tests.Template;

public class CloudFormationYamlTests
{
    private static string Json(string yaml) => CloudFormationYaml.Parse(yaml).ToJsonString();

    [Theory]
    [InlineData("a: !Ref Topic", """{"a":{"Ref":"Topic"}}""")]
    [InlineData("a: !GetAtt Key.Arn", """{"a":{"Fn::GetAtt":["Key","Arn"]}}""")]
    [InlineData("a: !GetAtt Queue.Attr.With.Dots", """{"a":{"Fn::GetAtt":["Queue","Attr.With.Dots"]}}""")]
    [InlineData("a: !Sub arn:${AWS::Partition}:s3:::b", """{"a":{"Fn::Sub":"arn:${AWS::Partition}:s3:::b"}}""")]
    [InlineData("a: !If [C, x, !Ref AWS::NoValue]", """{"a":{"Fn::If":["C","x",{"Ref":"AWS::NoValue"}]}}""")]
    [InlineData("a: !Not [!Equals [!Ref P, \"\"]]", """{"a":{"Fn::Not":[{"Fn::Equals":[{"Ref":"P"},""]}]}}""")]
    [InlineData("a: !Select [1, !Split [\"/\", !Ref S]]", """{"a":{"Fn::Select":[1,{"Fn::Split":["/",{"Ref":"S"}]}]}}""")]
    [InlineData("a: !Join [\",\", [x, y]]", """{"a":{"Fn::Join":[",",["x","y"]]}}""")]
    [InlineData("a: !FindInMap [M, k, v]", """{"a":{"Fn::FindInMap":["M","k","v"]}}""")]
    [InlineData("a: !And [!Condition A, !Condition B]", """{"a":{"Fn::And":[{"Condition":"A"},{"Condition":"B"}]}}""")]
    public void Short_form_tags_become_their_long_forms(string yaml, string json) => Assert.Equal(json, Json(yaml));

    [Fact]
    public void Plain_scalars_get_core_schema_types_and_quoted_ones_stay_text()
    {
        var parsed = CloudFormationYaml.Parse("n: 512\nb: true\ns: \"true\"\nv: \"2012-10-17\"\nd: 2010-09-09\nz: ~");

        Assert.Equal(512, parsed["n"]!.GetValue<long>());
        Assert.True(parsed["b"]!.GetValue<bool>());
        Assert.Equal("true", parsed["s"]!.GetValue<string>());
        Assert.Equal("2012-10-17", parsed["v"]!.GetValue<string>());
        Assert.Equal("2010-09-09", parsed["d"]!.GetValue<string>());
        Assert.Null(parsed["z"]);
    }

    [Fact]
    public void A_tag_CloudFormation_does_not_know_is_an_error() =>
        Assert.Throws<FormatException>(() => CloudFormationYaml.Parse("a: !Reff Topic"));

    [Fact]
    public void A_duplicate_key_is_an_error_as_in_CloudFormation() =>
        Assert.Throws<FormatException>(() => CloudFormationYaml.Parse("a: 1\na: 2"));

    [Fact]
    public void The_evaluator_resolves_conditions_substitutions_and_removes_NoValue()
    {
        var template = CloudFormationYaml.Parse("""
            Parameters:
              Bucket: { Type: String, Default: "" }
            Conditions:
              Create: !Equals [!Ref Bucket, ""]
            Resources:
              Thing:
                Type: AWS::SNS::Topic
                Properties:
                  Name: !If [Create, !Sub "made-${AWS::AccountId}", !Ref Bucket]
                  Suffix: !Select [4, !Split ["-", !Select [2, !Split ["/", !Ref AWS::StackId]]]]
                  Gone: !If [Create, !Ref AWS::NoValue, kept]
            """);

        var created = new TemplateEvaluator(template).Resolve(template["Resources"]!["Thing"]!["Properties"])!.AsObject();
        var existing = new TemplateEvaluator(template, new Dictionary<string, string> { ["Bucket"] = "mine" }).Resolve(template["Resources"]!["Thing"]!["Properties"])!.AsObject();

        Assert.Equal("made-111122223333", created["Name"]!.GetValue<string>());
        Assert.Equal("c1d2e3f4a5b6", created["Suffix"]!.GetValue<string>());
        Assert.False(created.ContainsKey("Gone"));
        Assert.Equal("mine", existing["Name"]!.GetValue<string>());
        Assert.Equal("kept", existing["Gone"]!.GetValue<string>());
        Assert.IsType<JsonObject>(created);
    }
}
