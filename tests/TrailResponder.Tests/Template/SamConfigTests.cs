namespace TrailResponder.Tests.Template;

public class SamConfigTests
{
    // samconfig.toml uses only [table] headers and key = value lines, so a line reader is enough to check it.
    private static Dictionary<string, Dictionary<string, string>> Read()
    {
        var tables = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal) { [string.Empty] = new(StringComparer.Ordinal) };
        var current = tables[string.Empty];
        foreach (var raw in File.ReadLines(Path.Combine(SamTemplate.FindRepositoryRoot(), "samconfig.toml")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = tables[line[1..^1]] = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"Not a key = value line: {line}");
            current[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return tables;
    }

    [Fact]
    public void The_configuration_is_version_0_1_with_a_stack_name()
    {
        var config = Read();

        Assert.Equal("0.1", config[string.Empty]["version"]);
        Assert.Equal("\"trailresponder\"", config["default.global.parameters"]["stack_name"]);
    }

    [Fact]
    public void Deploying_needs_IAM_capability_a_managed_artifact_bucket_and_a_confirmed_change_set()
    {
        var deploy = Read()["default.deploy.parameters"];

        Assert.Equal("\"CAPABILITY_IAM\"", deploy["capabilities"]);
        Assert.Equal("true", deploy["resolve_s3"]);
        Assert.Equal("true", deploy["confirm_changeset"]);
    }

    [Fact]
    public void Building_runs_in_source_one_function_at_a_time_and_local_invoke_has_defaults()
    {
        var config = Read();

        Assert.Equal("true", config["default.build.parameters"]["build_in_source"]);
        Assert.Equal("false", config["default.build.parameters"]["parallel"]);
        Assert.Contains("DryRun=true", config["default.local_invoke.parameters"]["parameter_overrides"], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_parameter_override_names_a_template_parameter()
    {
        var parameters = SamTemplate.Load().Document["Parameters"]!.AsObject();
        var overrides = Read()
            .SelectMany(t => t.Value)
            .Where(kv => kv.Key == "parameter_overrides")
            .SelectMany(kv => kv.Value.Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=')[0]);

        Assert.All(overrides, name => Assert.True(parameters.ContainsKey(name), $"samconfig.toml overrides unknown parameter {name}."));
    }
}
