using System.CommandLine;
using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.Cli.Storage;

namespace TrailResponder.Cli;

/// <summary>
/// <c>trailresponder invoke FUNCTION --event FILE</c>: runs a Lambda handler in this process with an event, what
/// <c>sam local invoke</c> does without Docker.
/// </summary>
internal static class InvokeCommand
{
    /// <summary>A function the command can run: its handler, built from environment variables and credentials.</summary>
    private delegate Func<Stream, Task<Stream>> HandlerFactory(IReadOnlyDictionary<string, string?> variables, AWSCredentials? credentials, TextWriter log);

    private static readonly Dictionary<string, HandlerFactory> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LogProcessor"] = (variables, credentials, log) =>
            new LogProcessor.Function(LogProcessor.LogProcessorServices.FromEnvironment(variables, credentials, log)).HandleAsync,
        ["SecurityGroupResponder"] = (variables, credentials, log) =>
            new Responder.Function(Responder.ResponderServices.FromEnvironment(variables, credentials, log)).HandleAsync,
        ["DigestValidator"] = (variables, credentials, log) =>
            new DigestValidator.Function(DigestValidator.DigestValidatorServices.FromEnvironment(variables, credentials, log)).HandleAsync,
    };

    public static Command Create(CliEnvironment environment)
    {
        var function = new Argument<string>("function") { Description = $"The function: {string.Join(", ", Functions.Keys)}." };
        var eventFile = new Option<string>("--event") { Description = "The event file, e.g. events/logprocessor-s3-notification.json", Required = true };
        var variables = new Option<string[]>("--env")
        {
            Description = "A setting of the function as KEY=VALUE, as the template would set it (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var rules = new Option<string[]>("--rules")
        {
            Description = "LogProcessor only: rules to run beside the built-ins; sets RULES_LOCATION (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var profile = new Option<string?>("--profile") { Description = "AWS profile the function runs with (default: the standard credential chain)" };
        var awsRegion = new Option<string?>("--aws-region") { Description = "The region the function runs in (default: AWS_REGION)" };
        var command = new Command(
            "invoke",
            "Run a Lambda handler in this process with an event file, like sam local invoke without Docker")
        {
            function, eventFile, variables, rules, profile, awsRegion,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(function)!;
            if (!Functions.TryGetValue(name, out var factory))
            {
                await error.WriteLineAsync($"error: no function named '{name}' (known: {string.Join(", ", Functions.Keys)})").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var path = parse.GetValue(eventFile)!;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"error: {path}: no such event file").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var settings = new Dictionary<string, string?>(environment.Variables, StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(variables) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await error.WriteLineAsync($"error: --env '{pair}' is not KEY=VALUE").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                settings[pair[..equals]] = pair[(equals + 1)..];
            }

            if (parse.GetValue(rules) is { Length: > 0 } locations)
            {
                if (!name.Equals("LogProcessor", StringComparison.OrdinalIgnoreCase))
                {
                    await error.WriteLineAsync($"error: --rules: only the LogProcessor runs detection rules, not {name}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                settings["RULES_LOCATION"] = string.Join(',', locations.Prepend(settings.GetValueOrDefault("RULES_LOCATION")).OfType<string>());
            }

            if (parse.GetValue(awsRegion) is { } region)
            {
                settings["AWS_REGION"] = region;
            }

            Func<Stream, Task<Stream>> handler;
            try
            {
                var credentials = environment.Credentials ?? (parse.GetValue(profile) is { } named ? new CliEnvironment(settings).Aws(named, null).Credentials : null);
                handler = factory(settings, credentials, error);
            }
            catch (AwsAccessException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (Exception e) when (e is InvalidOperationException or AmazonClientException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            try
            {
                await using var input = File.OpenRead(path);
                await using var response = await handler(input).ConfigureAwait(false);
                using var reader = new StreamReader(response);
                await output.WriteLineAsync(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // What Lambda would record as the invocation error.
                await error.WriteLineAsync($"function error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Problems;
            }
        });
        return command;
    }
}
