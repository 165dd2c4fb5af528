using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using TrailResponder.LocalAws.Protocol;

namespace TrailResponder.LocalAws.Services;

/// <summary>SNS Publish with the TopicArn, Subject, size and MessageStructure rules from aws-wire.md.</summary>
internal sealed class SnsHandler(SnsStore store) : IServiceHandler
{
    private const int MaxMessageBytes = 262_144;
    private static readonly XNamespace Ns = "http://sns.amazonaws.com/doc/2010-03-31/";

    public IReadOnlySet<string> Operations { get; } = new HashSet<string>(StringComparer.Ordinal) { "Publish" };

    public ServiceReply Handle(ServiceCall call)
    {
        var input = call.Input;
        var topicArn = input["TopicArn"]?.GetValue<string>() ?? input["TargetArn"]?.GetValue<string>()
            ?? throw InvalidParameter("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        if (!store.TopicExists(topicArn))
        {
            throw new AwsErrorException(404, "NotFound", "Topic does not exist");
        }

        var message = input["Message"]!.GetValue<string>();
        if (message.Length == 0)
        {
            throw InvalidParameter("Invalid parameter: Empty message");
        }
        var subject = input["Subject"]?.GetValue<string>();
        if (subject is not null && !IsValidSubject(subject))
        {
            throw InvalidParameter("Invalid parameter: Subject");
        }

        var attributes = ReadAttributes(input["MessageAttributes"]?.AsObject());
        var size = Encoding.UTF8.GetByteCount(message) + attributes.Sum(a =>
            Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value.DataType) +
            (a.Value.StringValue is null ? 0 : Encoding.UTF8.GetByteCount(a.Value.StringValue)) + (a.Value.BinaryValue?.Length ?? 0));
        if (size > MaxMessageBytes)
        {
            throw InvalidParameter("Invalid parameter: Message too long");
        }

        var structure = input["MessageStructure"]?.GetValue<string>();
        if (structure is not null)
        {
            CheckJsonStructure(structure, message);
        }

        var messageId = Guid.NewGuid().ToString();
        store.Add(new PublishedMessage(messageId, topicArn, message, subject, structure, attributes));
        return ServiceReply.Xml(new XElement(Ns + "PublishResponse",
            new XElement(Ns + "PublishResult", new XElement(Ns + "MessageId", messageId)),
            new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", Guid.NewGuid().ToString()))));
    }

    // ASCII, starting with a letter, digit or punctuation, no line breaks or control characters, fewer than 100 characters.
    private static bool IsValidSubject(string subject) =>
        subject.Length is > 0 and < 100
        && (char.IsAsciiLetterOrDigit(subject[0]) || char.IsPunctuation(subject[0]) || char.IsSymbol(subject[0]))
        && subject.All(c => c is >= ' ' and <= '~');

    private static Dictionary<string, SnsMessageAttribute> ReadAttributes(JsonObject? map)
    {
        var attributes = new Dictionary<string, SnsMessageAttribute>(StringComparer.Ordinal);
        foreach (var (name, value) in map ?? [])
        {
            var dataType = value!["DataType"]!.GetValue<string>();
            var stringValue = value["StringValue"]?.GetValue<string>();
            var binaryText = value["BinaryValue"]?.GetValue<string>();
            var baseType = dataType.Split('.')[0];
            if (name.Length == 0 || baseType is not ("String" or "Number" or "Binary"))
            {
                throw new AwsErrorException(400, "ParameterValueInvalid", $"The message attribute '{name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
            }
            byte[]? binary = null;
            if (baseType == "Binary")
            {
                try
                {
                    binary = binaryText is null ? null : Convert.FromBase64String(binaryText);
                }
                catch (FormatException)
                {
                    throw new AwsErrorException(400, "ParameterValueInvalid", $"The message attribute '{name}' has an invalid binary value.");
                }
            }
            if ((baseType == "Binary" ? binary is not { Length: > 0 } : string.IsNullOrEmpty(stringValue)))
            {
                throw new AwsErrorException(400, "ParameterValueInvalid", $"The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{dataType}'.");
            }
            attributes[name] = new SnsMessageAttribute(dataType, stringValue, binary);
        }
        return attributes;
    }

    private static void CheckJsonStructure(string structure, string message)
    {
        if (structure != "json")
        {
            throw InvalidParameter("Invalid parameter: MessageStructure");
        }
        try
        {
            using var document = JsonDocument.Parse(message, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw InvalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse");
            }
            if (!document.RootElement.TryGetProperty("default", out var defaultEntry) || defaultEntry.ValueKind != JsonValueKind.String)
            {
                throw InvalidParameter("Invalid parameter: Message Structure - No default entry in JSON message body");
            }
        }
        catch (JsonException)
        {
            throw InvalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse");
        }
    }

    private static AwsErrorException InvalidParameter(string message) => new(400, "InvalidParameter", message);
}
