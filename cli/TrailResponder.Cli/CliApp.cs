using System.CommandLine;

namespace TrailResponder.Cli;

/// <summary>The <c>trailresponder</c> command tree, runnable in-process with any output writers.</summary>
public static class CliApp
{
    /// <summary>Parses and runs a command line; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, CliEnvironment.Process());

    /// <summary>Parses and runs a command line against the given environment (tests point it at a local AWS endpoint).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CliEnvironment environment)
    {
        var root = CreateRoot(environment);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }

            error.WriteLine($"Run 'trailresponder {parsed.CommandResult.Command.Name} --help' for usage.".Replace("trailresponder trailresponder", "trailresponder", StringComparison.Ordinal));
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The whole command tree, for running and for checking its help.</summary>
    public static RootCommand CreateRoot(CliEnvironment environment)
    {
        return new RootCommand("TrailResponder: detect, validate and respond to what CloudTrail records.")
        {
            DemoCommand.Create(),
            ScanCommand.Create(environment),
            RulesCommand.Create(),
            SearchCommand.Create(environment),
            InvokeCommand.Create(environment),
            ValidateCommand.Create(() => environment.Access),
            MirrorCommand.Create(() => environment.Access),
            RespondCommand.Create(environment),
        };
    }
}
