using System.Net;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace TrailResponder.Aws;

/// <summary>The error code, message and request id of a failed AWS response, read from any of the four protocols' envelopes.</summary>
/// <remarks>
/// XML (query and ec2: <c>Error/Code</c>, <c>RequestId</c> or <c>RequestID</c>) and JSON (<c>__type</c>, <c>code</c>, <c>Code</c>,
/// plus the <c>x-amzn-ErrorType</c> header) are told apart by the body itself, because a proxy in front of any service can
/// answer with anything, including an empty or HTML body.
/// </remarks>
public sealed record AwsErrorResponse(string? Code, string? Message, string? RequestId)
{
    /// <summary>Reads the error out of a response whose body has already been read into <paramref name="body"/>.</summary>
    public static AwsErrorResponse Read(HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headerCode = Header(response, "x-amzn-ErrorType");
        var requestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");
        var fromBody = ParseBody(body);
        return new AwsErrorResponse(
            CleanCode(headerCode) ?? CleanCode(fromBody.Code),
            fromBody.Message,
            fromBody.RequestId ?? requestId);
    }

    /// <summary>The exception to throw for this error; a missing code is stood in for by the HTTP status.</summary>
    public AwsServiceException ToException(AwsService service, string operation, HttpStatusCode status) =>
        new(service.SigningName, operation, status, Code ?? "Http" + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), Message ?? "(no error message)", RequestId);

    private static AwsErrorResponse ParseBody(ReadOnlySpan<byte> body)
    {
        var trimmed = Trim(body);
        if (trimmed.IsEmpty)
        {
            return new AwsErrorResponse(null, null, null);
        }

        try
        {
            return trimmed[0] switch
            {
                (byte)'<' => ParseXml(trimmed),
                (byte)'{' => ParseJson(trimmed),
                _ => new AwsErrorResponse(null, null, null),
            };
        }
        catch (Exception ex) when (ex is XmlException or JsonException)
        {
            return new AwsErrorResponse(null, null, null);
        }
    }

    private static AwsErrorResponse ParseXml(ReadOnlySpan<byte> body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var stream = new MemoryStream(body.ToArray());
        using var reader = XmlReader.Create(stream, settings);
        var document = XDocument.Load(reader);
        var error = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
        var requestId = document.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID");
        return new AwsErrorResponse(
            ChildText(error, "Code"),
            ChildText(error, "Message"),
            string.IsNullOrWhiteSpace(requestId?.Value) ? null : requestId.Value.Trim());
    }

    private static AwsErrorResponse ParseJson(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new AwsErrorResponse(null, null, null);
        }

        return new AwsErrorResponse(
            StringProperty(root, "__type") ?? StringProperty(root, "code") ?? StringProperty(root, "Code"),
            StringProperty(root, "message") ?? StringProperty(root, "Message"),
            null);
    }

    // JSON codes may be namespaced ("com.amazonaws.cloudtrail.v20131101#InvalidTimeRangeException") and the header may carry
    // a suffix after ':' ("LimitExceededException:http://internal.amazon.com/...").
    private static string? CleanCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var hash = code.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        code = code.Trim();
        return code.Length == 0 ? null : code;
    }

    private static string? ChildText(XElement? parent, string localName)
    {
        var value = parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> body)
    {
        // A UTF-8 byte order mark or leading whitespace must not hide the envelope's first character.
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        return body.TrimStart((ReadOnlySpan<byte>)[(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n']);
    }
}
