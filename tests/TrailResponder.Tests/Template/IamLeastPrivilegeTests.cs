using TrailResponder.LocalAws;

namespace TrailResponder.Tests.Template;

public class IamLeastPrivilegeTests
{
    public static TheoryData<string> FunctionFolders { get; } = [.. SamTemplate.Load().Functions.Select(f => Path.GetFileName(f.CodeUri))];

    private static async Task<(IReadOnlyList<IamStatement> Statements, IReadOnlyList<IamRequirement> Requirements)> Exercise(string folder, IReadOnlyDictionary<string, string> parameters, string? trailKeyArn)
    {
        var template = SamTemplate.Load();
        var function = template.Function(folder);
        var run = await FunctionExercise.RunAsync(template, function, parameters);
        Assert.Empty(run.Failures);
        var topic = run.Environment["FINDINGS_TOPIC_ARN"]!;
        return (IamPolicy.Statements(template, function, FunctionExercise.ParametersFor(folder, parameters), topic), IamPolicy.Requirements(run.Requests, "us-east-1", trailKeyArn));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task Every_call_a_function_makes_is_allowed_by_its_policy_on_that_resource(string folder)
    {
        var (statements, requirements) = await Exercise(folder, FunctionExercise.WidestParameters, trailKeyArn: null);

        Assert.NotEmpty(requirements);
        Assert.All(requirements, requirement => Assert.True(
            statements.Any(s => s.Allows(requirement)),
            $"{folder}: nothing allows {requirement.Action} on {requirement.Resource} ({requirement.Source}, context {string.Join(",", requirement.Context)})"));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task A_function_policy_grants_exactly_the_actions_its_calls_need(string folder)
    {
        var (statements, requirements) = await Exercise(folder, FunctionExercise.WidestParameters, trailKeyArn: null);

        var granted = statements.SelectMany(s => s.Actions).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var needed = requirements.Select(r => r.Action).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unused = granted.Where(g => !needed.Any(n => IamPattern.Matches(g, n, ignoreCase: true))).ToList();
        var missing = needed.Where(n => !granted.Any(g => IamPattern.Matches(g, n, ignoreCase: true))).ToList();

        Assert.True(unused.Count == 0, $"{folder} is granted actions it never calls: {string.Join(", ", unused)}");
        Assert.True(missing.Count == 0, $"{folder} calls actions it is not granted: {string.Join(", ", missing)}");
        Assert.All(statements, s => Assert.True(requirements.Any(s.Allows), $"{folder}: statement {s.Sid} allows nothing the function does."));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public void No_statement_allows_every_action_or_an_unscoped_write(string folder)
    {
        var template = SamTemplate.Load();
        var statements = IamPolicy.Statements(template, template.Function(folder), FunctionExercise.WidestParameters, "arn:aws:sns:us-east-1:111122223333:topic");

        Assert.All(statements, s => Assert.DoesNotContain(s.Actions, a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal)));

        // Only calls without resource-level permissions may use "*": EC2 Describe* and CloudTrail ListPublicKeys.
        Assert.All(
            statements.Where(s => s.Resources.Contains("*")),
            s => Assert.All(s.Actions, a => Assert.Matches("^(ec2:Describe[A-Za-z]+|cloudtrail:ListPublicKeys)$", a)));
    }

    [Fact]
    public void Security_Hub_off_removes_the_import_permission()
    {
        var template = SamTemplate.Load();
        var parameters = new Dictionary<string, string>(FunctionExercise.WidestParameters) { ["SecurityHubEnabled"] = "false" };

        Assert.All(template.Functions, f => Assert.DoesNotContain(
            IamPolicy.Statements(template, f, parameters, "arn:aws:sns:us-east-1:111122223333:topic"),
            s => s.AllowsAction("securityhub:BatchImportFindings")));
    }

    [Theory]
    [InlineData("LogProcessor")]
    [InlineData("DigestValidator")]
    public void With_the_bucket_the_stack_creates_its_log_files_stay_readable_and_the_trail_key_decrypts(string folder)
    {
        // The created bucket's name comes from the stack id (TemplateEvaluator.StackId).
        var created = "trailresponder-111122223333-c1d2e3f4a5b6";
        var template = SamTemplate.Load();
        var function = template.Function(folder);
        var parameters = new Dictionary<string, string> { ["DryRun"] = "false" };
        var statements = IamPolicy.Statements(template, function, parameters, "arn:aws:sns:us-east-1:000000000000:trailresponder-findings");
        var read = new IamRequirement("s3:GetObject", $"arn:aws:s3:::{created}/{FunctionExercise.SampleKey}", new Dictionary<string, string>(), "GetObject");
        var decrypt = new IamRequirement("kms:Decrypt", IamPolicy.TrailKeyArn, new Dictionary<string, string>(), "SSE-KMS");
        var elsewhere = new IamRequirement("s3:GetObject", $"arn:aws:s3:::{created}/other/{FunctionExercise.SampleKey}", new Dictionary<string, string>(), "GetObject");

        Assert.Contains(statements, s => s.Allows(read));
        Assert.Contains(statements, s => s.Allows(decrypt));
        Assert.DoesNotContain(statements, s => s.Allows(elsewhere));
    }

    [Fact]
    public void The_LogProcessor_may_list_and_read_the_rules_path_and_nothing_else_of_the_rules_bucket()
    {
        var template = SamTemplate.Load();
        var parameters = new Dictionary<string, string>(FunctionExercise.WidestParameters) { ["RulesBucket"] = "acme-detections", ["RulesPath"] = "sigma/aws/" };
        var statements = IamPolicy.Statements(template, template.Function("LogProcessor"), parameters, "arn:aws:sns:us-east-1:111122223333:topic");
        bool Allowed(string action, string resource, string? prefix = null) => statements.Any(s => s.Allows(new IamRequirement(
            action, resource, prefix is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["s3:prefix"] = prefix }, action)));

        Assert.True(Allowed("s3:ListBucket", "arn:aws:s3:::acme-detections", "sigma/aws/"));
        Assert.True(Allowed("s3:GetObject", "arn:aws:s3:::acme-detections/sigma/aws/cloudtrail/rule.yml"));
        Assert.False(Allowed("s3:ListBucket", "arn:aws:s3:::acme-detections", "secrets/"));
        Assert.False(Allowed("s3:ListBucket", "arn:aws:s3:::acme-detections", string.Empty));
        Assert.False(Allowed("s3:GetObject", "arn:aws:s3:::acme-detections/secrets/key.pem"));
        Assert.False(Allowed("s3:PutObject", "arn:aws:s3:::acme-detections/sigma/aws/rule.yml"));
    }

    [Fact]
    public void Without_a_rules_bucket_the_LogProcessor_gets_no_rules_location_and_no_access_to_one()
    {
        var template = SamTemplate.Load();
        var parameters = new Dictionary<string, string>(FunctionExercise.WidestParameters) { ["RulesBucket"] = string.Empty };
        var function = template.Function("LogProcessor");

        Assert.DoesNotContain(IamPolicy.Statements(template, function, parameters, "arn:aws:sns:us-east-1:111122223333:topic"), s => s.Sid is "ListRules" or "ReadRules");
        var evaluator = new TemplateEvaluator(template.Document, parameters, new Dictionary<string, string> { ["FindingsTopic"] = "t", ["SecurityGroupResponderFunctionRole.Arn"] = "r" }, FunctionExercise.AccountId, "us-east-1");
        Assert.False(evaluator.Resolve(function.Properties["Environment"]?["Variables"])!.AsObject().ContainsKey("RULES_LOCATION"));
    }

    [Fact]
    public void The_mapping_names_the_IAM_action_of_each_logged_operation()
    {
        var requirements = IamPolicy.Requirements(
            [
                Request(ServiceNames.S3, "ListObjectsV2", """{"Bucket":"b","Prefix":"AWSLogs/"}"""),
                Request(ServiceNames.S3, "GetObject", """{"Bucket":"b","Key":"k"}"""),
                Request(ServiceNames.CloudTrail, "ListPublicKeys", "{}"),
                Request(ServiceNames.Ec2, "DescribeSecurityGroupRules", "{}"),
            ],
            "us-east-1",
            trailKeyArn: null);

        Assert.Equal(["s3:ListBucket", "s3:GetObject", "cloudtrail:ListPublicKeys", "ec2:DescribeSecurityGroupRules"], requirements.Select(r => r.Action));
        Assert.Equal("AWSLogs/", requirements[0].Context["s3:prefix"]);
    }

    private static RecordedRequest Request(string service, string operation, string parameters) =>
        new(service, operation, System.Text.Json.JsonDocument.Parse(parameters).RootElement.Clone(), 200, null);
}
