using System.CommandLine;
using TrailResponder.Cli;

namespace TrailResponder.Tests.Cli;

/// <summary>
/// The help of every command fits a terminal: each command, argument and option is described in one line of at most
/// 100 characters, and the long explanations live in docs/cli.md.
/// </summary>
public sealed class HelpTests
{
    private const int MaxDescription = 100;

    public static TheoryData<string> Commands() => [.. CliApp.CreateRoot(CliEnvironment.Process()).Subcommands.Select(c => c.Name)];

    [Fact]
    public void Every_description_in_the_command_tree_is_one_line_of_at_most_100_characters()
    {
        var problems = new List<string>();
        Walk(CliApp.CreateRoot(CliEnvironment.Process()), "trailresponder", problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Each_commands_help_names_every_one_of_its_options(string name)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = CliApp.Run([name, "--help"], output, error);

        Assert.Equal(0, exit);
        var command = CliApp.CreateRoot(CliEnvironment.Process()).Subcommands.Single(c => c.Name == name);
        Assert.All(command.Options.Where(o => !o.Hidden), option => Assert.Contains(option.Name, output.ToString(), StringComparison.Ordinal));
    }

    private static void Walk(Command command, string path, List<string> problems)
    {
        Check(path, command.Description, problems);
        foreach (var argument in command.Arguments)
        {
            Check($"{path} <{argument.Name}>", argument.Description, problems);
        }

        foreach (var option in command.Options.Where(o => !o.Hidden && o.Name is not ("--help" or "--version")))
        {
            Check($"{path} {option.Name}", option.Description, problems);
        }

        foreach (var subcommand in command.Subcommands)
        {
            Walk(subcommand, $"{path} {subcommand.Name}", problems);
        }
    }

    private static void Check(string where, string? description, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            problems.Add($"{where}: no description");
        }
        else if (description.Contains('\n', StringComparison.Ordinal) || description.Length > MaxDescription)
        {
            problems.Add($"{where}: {description.Length} characters{(description.Contains('\n', StringComparison.Ordinal) ? ", several lines" : "")}: {description}");
        }
    }
}
