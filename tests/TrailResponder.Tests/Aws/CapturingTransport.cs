using System.Net;
using System.Text;

namespace TrailResponder.Tests.Aws;

/// <summary>One request as it left the handler chain: after signing, with its body read.</summary>
public sealed record CapturedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string[]> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;

    /// <summary>The form fields of a query-protocol body, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form =>
        BodyText.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => new KeyValuePair<string, string>(Decode(parts[0]), parts.Length > 1 ? Decode(parts[1]) : string.Empty))
            .ToList();

    public string? FormValue(string name) => Form.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}

/// <summary>The innermost handler in tests: records every request the real retry and signing handlers send, and answers from a script.</summary>
public sealed class CapturingTransport : HttpMessageHandler
{
    private readonly Func<CapturedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond;
    private readonly List<CapturedRequest> requests = [];

    public CapturingTransport(Func<CapturedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        this.respond = respond;
    }

    public IReadOnlyList<CapturedRequest> Requests => requests;

    /// <summary>Answers the n-th request (0-based) with the n-th response; the last one repeats.</summary>
    public static CapturingTransport Answering(params Func<HttpResponseMessage>[] responses) =>
        new((_, index, _) => Task.FromResult(responses[Math.Min(index, responses.Length - 1)]()));

    public static HttpResponseMessage Xml(HttpStatusCode status, string xml) => Text(status, xml, "text/xml");

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string contentType = "application/x-amz-json-1.1") => Text(status, json, contentType);

    public static HttpResponseMessage Text(HttpStatusCode status, string text, string contentType)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToArray();
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = values.ToArray();
            }
        }

        var captured = new CapturedRequest(request.Method, request.RequestUri!, headers, body);
        int index;
        lock (requests)
        {
            index = requests.Count;
            requests.Add(captured);
        }

        var response = await respond(captured, index, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}
