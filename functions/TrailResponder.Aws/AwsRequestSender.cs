using System.Net;
using Amazon.Runtime.Signing;

namespace TrailResponder.Aws;

/// <summary>A successful AWS response: its status and the whole body.</summary>
internal sealed record AwsResponse(HttpStatusCode Status, byte[] Body);

/// <summary>Sends one AWS API call through the shared signed, retrying HttpClient and turns failures into <see cref="AwsServiceException"/>.</summary>
internal sealed class AwsRequestSender
{
    private readonly HttpClient http;

    public AwsRequestSender(HttpClient http, AwsEndpoints endpoints)
    {
        this.http = http;
        Endpoints = endpoints;
    }

    public AwsEndpoints Endpoints { get; }

    /// <summary>POSTs <paramref name="content"/> to <paramref name="path"/> of the service in <paramref name="region"/>, signed for that region.</summary>
    public async Task<AwsResponse> PostAsync(
        AwsService service,
        string operation,
        string region,
        string path,
        HttpContent content,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoints.RequestUri(service, region, path)) { Content = content };
        // The URL may point at LocalStack, but the signature keeps the real service name and region.
        request.Options.Set(new HttpRequestOptionsKey<string>(SigV4SigningHandler.ServiceOptionKey), service.SigningName);
        request.Options.Set(new HttpRequestOptionsKey<string>(SigV4SigningHandler.RegionOptionKey), region);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new AwsServiceException(service.SigningName, operation, null, AwsServiceException.TimeoutErrorCode, ex.Message, null, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new AwsServiceException(service.SigningName, operation, null, AwsServiceException.NetworkErrorCode, ex.Message, null, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw AwsErrorResponse.Read(response, body).ToException(service, operation, response.StatusCode);
            }

            return new AwsResponse(response.StatusCode, body);
        }
    }
}
