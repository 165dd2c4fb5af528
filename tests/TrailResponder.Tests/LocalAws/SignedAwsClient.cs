using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

/// <summary>An HttpClient that signs every request for one service with AWSSDK.Core's SigV4SigningHandler, as our Lambda clients do.</summary>
internal sealed class SignedAwsClient : IDisposable
{
    private readonly HttpClient _http;

    public SignedAwsClient(LocalAwsEndpoint endpoint, string service, AWSCredentials? credentials = null, string? region = null, TimeSpan? timeout = null)
    {
        var signing = new SigV4SigningHandler(
            credentials ?? DefaultCredentials,
            RegionEndpoint.GetBySystemName(region ?? endpoint.Options.Region),
            service,
            new SocketsHttpHandler { AllowAutoRedirect = false });
        _http = new HttpClient(signing) { BaseAddress = endpoint.Url, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public static AWSCredentials DefaultCredentials { get; } = new BasicAWSCredentials(LocalAwsCredential.Default.AccessKeyId, LocalAwsCredential.Default.SecretAccessKey);

    public Task<AwsAnswer> PostFormAsync(params (string Name, string Value)[] fields) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))) });

    public Task<AwsAnswer> PostJsonAsync(string path, string json, string contentType = "application/json", string? target = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }
        return SendAsync(request);
    }

    public Task<AwsAnswer> CloudTrailAsync(string operation, string json) =>
        PostJsonAsync("/", json, "application/x-amz-json-1.1", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101." + operation);

    public async Task<AwsAnswer> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var headers = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            return new AwsAnswer(response.StatusCode, body, headers);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A response as a test sees it, with the AWS error code read from whichever envelope the service used.</summary>
internal sealed record AwsAnswer(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? ErrorCode
    {
        get
        {
            if (Body.StartsWith('<'))
            {
                return XDocument.Parse(Body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            }
            if (Body.StartsWith('{'))
            {
                using var document = JsonDocument.Parse(Body);
                if (document.RootElement.TryGetProperty("__type", out var type) || document.RootElement.TryGetProperty("Code", out type))
                {
                    return type.GetString();
                }
            }
            return Headers.GetValueOrDefault("x-amzn-ErrorType");
        }
    }

    public XDocument Xml => XDocument.Parse(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>Text of every element with this local name, namespace ignored.</summary>
    public IReadOnlyList<string> XmlValues(string localName) => [.. Xml.Descendants().Where(e => e.Name.LocalName == localName).Select(e => e.Value)];
}
