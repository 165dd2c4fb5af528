using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Sigma;
using TrailResponder.Core.Streams;

namespace TrailResponder.Cli;

/// <summary><c>trailresponder rules list|test|validate</c>: look at, try and check the rules before they are deployed.</summary>
internal static class RulesCommand
{
    private const long MaxEventBytes = 64L * 1024 * 1024;

    public static Command Create()
    {
        var command = new Command(
            "rules",
            "List, test and validate rules: the built-ins, rules files and Sigma rules")
        {
            List(), Test(), Validate(),
        };
        return command;
    }

    private static Command List()
    {
        var rules = new RuleOptions();
        var format = new Option<string>("--format") { Description = "'text' (a table) or 'json' (one rule per line)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command(
            "list",
            "List the rules in force: id, source, kind, severity, title and the fields each reads")
        {
            format,
        };
        Add(command, rules);
        command.SetAction(parse =>
        {
            if (rules.Load(parse, parse.InvocationConfiguration.Error) is not { } catalog)
            {
                return ExitCodes.Usage;
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == "json")
            {
                foreach (var rule in catalog.Rules)
                {
                    output.WriteLine(JsonLine(rule));
                }

                return ExitCodes.Ok;
            }

            var idWidth = catalog.Rules.Max(r => r.Id.Length);
            output.WriteLine($"{"ID".PadRight(idWidth)}  {"KIND",-14}  {"SEVERITY",-13}  TITLE  [SOURCE]  FIELDS");
            foreach (var rule in catalog.Rules)
            {
                output.WriteLine($"{Safe(rule.Id).PadRight(idWidth)}  {rule.Logic.Language,-14}  {rule.Severity.ToLabel(),-13}  {Safe(rule.Title)}  [{Safe(SourceOf(rule))}]  {Safe(string.Join(", ", rule.Logic.FieldNames))}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test()
    {
        var rules = new RuleOptions();
        var eventFile = new Option<string>("--event")
        {
            Description = "A CloudTrail record (a JSON object), or a log file's JSON whose every record is tested",
            Required = true,
        };
        var command = new Command(
            "test",
            "Test the --rules rules (else the built-ins) on a record: what matched, and why for Sigma rules")
        {
            eventFile,
        };
        Add(command, rules);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (rules.Load(parse, error, summary: false) is not { } catalog)
            {
                return ExitCodes.Usage;
            }

            List<byte[]> records;
            try
            {
                records = ReadRecords(parse.GetValue(eventFile)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException)
            {
                error.WriteLine($"error: {parse.GetValue(eventFile)}: {e.Message}");
                return ExitCodes.Usage;
            }

            var tested = catalog.Rules.Where(r => !r.IsBuiltIn).ToArray() is { Length: > 0 } own ? own : catalog.Rules.ToArray();
            var evaluator = new RuleSet(tested).CreateEvaluator();
            var matched = 0;
            for (var i = 0; i < records.Count; i++)
            {
                using var record = JsonDocument.Parse(records[i]);
                output.WriteLine($"record {i + 1}: {Describe(record.RootElement)}");
                var matches = evaluator.Match(records[i]).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
                matched += matches.Count;
                foreach (var rule in tested)
                {
                    WriteResult(output, rule, matches.Contains(rule.Id), records[i]);
                }
            }

            return matched > 0 ? ExitCodes.Ok : ExitCodes.Problems;
        });
        return command;
    }

    private static Command Validate()
    {
        var rules = new RuleOptions();
        var command = new Command(
            "validate",
            "Check rules without scanning: what each source gave, each skipped rule and each error");
        Add(command, rules);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (rules.Load(parse, parse.InvocationConfiguration.Error) is not { } catalog)
            {
                return ExitCodes.Usage;
            }

            foreach (var skip in catalog.Report.Sources.SelectMany(s => s.Skipped))
            {
                output.WriteLine($"skipped: {Safe(skip.Source)}: '{Safe(skip.Title)}': {RuleSourceReport.Describe(skip.Reason)}: {Safe(skip.Note)}");
            }

            var own = catalog.Rules.Count(r => !r.IsBuiltIn);
            output.WriteLine($"valid: {catalog.Rules.Count} rules in force ({catalog.Rules.Count - own} built-in, {own} from --rules)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteResult(TextWriter output, DetectionRule rule, bool matched, byte[] record)
    {
        output.WriteLine($"  {(matched ? "MATCH   " : "no match")}  {Safe(rule.Id)}  {Safe(rule.Title)}  [{rule.Logic.Language}]");
        if (rule.Logic is SigmaDetection sigma)
        {
            var explanation = sigma.Explain(record);
            output.WriteLine($"      condition: {Safe(explanation.Condition)}");
            foreach (var identifier in explanation.Identifiers)
            {
                output.WriteLine($"      {Safe(identifier.Name)}: {(identifier.Held ? "held" : "did not hold")} ({Safe(identifier.Decided)})");
            }
        }
        else if (rule.Pattern is { } pattern)
        {
            output.WriteLine($"      pattern: {Safe(pattern.Text)}");
        }
    }

    // One record, or every record of a log file's {"Records": [...]}.
    private static List<byte[]> ReadRecords(string path)
    {
        using var content = new MemoryStream();
        using (var file = File.OpenRead(path))
        {
            new BoundedReadStream(file, MaxEventBytes, "The event file").CopyTo(content);
        }

        using var document = JsonDocument.Parse(content.ToArray(), new JsonDocumentOptions { MaxDepth = 512 });
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Records", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            return list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(r => Encoding.UTF8.GetBytes(r.GetRawText())).ToList();
        }

        return root.ValueKind == JsonValueKind.Object
            ? [content.ToArray()]
            : throw new FormatException("not a CloudTrail record (a JSON object) or a log file ({\"Records\": [...]})");
    }

    private static string Describe(JsonElement record)
    {
        string? Text(string name) => record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return Safe($"{Text("eventSource") ?? "?"} {Text("eventName") ?? "?"} (eventID {Text("eventID") ?? "none"})");
    }

    private static string JsonLine(DetectionRule rule)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("source", SourceOf(rule));
            json.WriteString("kind", rule.Logic.Language);
            json.WriteString("severity", rule.Severity.ToLabel());
            json.WriteString("title", rule.Title);
            json.WriteStartArray("fields");
            foreach (var field in rule.Logic.FieldNames)
            {
                json.WriteStringValue(field);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string SourceOf(DetectionRule rule) => rule.IsBuiltIn ? "built-in" : rule.Source;

    // Rule files and records are other people's text: keep them to one line on the terminal.
    private static string Safe(string text) => NotificationText.SingleLine(text);

    private static void Add(Command command, RuleOptions rules)
    {
        foreach (var option in rules.All)
        {
            command.Options.Add(option);
        }
    }
}
