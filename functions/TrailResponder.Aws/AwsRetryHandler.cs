namespace TrailResponder.Aws;

/// <summary>
/// Retries AWS calls the way the SDKs' standard mode does: up to <see cref="AwsRetryOptions.MaxAttempts"/> attempts with
/// full-jitter backoff, on throttling, transient codes, 429/500/502/503/504, network errors and per-attempt timeouts.
/// </summary>
/// <remarks>
/// It must sit outside (before) the signing handler so that every attempt gets a fresh signature and date. Every response
/// body is read inside the attempt: the timeout then covers the whole exchange, and an error body is already buffered
/// when its code decides the retry. The caller's cancellation is never retried.
/// </remarks>
public sealed class AwsRetryHandler : DelegatingHandler
{
    private readonly AwsRetryOptions options;

    /// <summary>Creates the handler; set <see cref="DelegatingHandler.InnerHandler"/> to the signing handler.</summary>
    public AwsRetryHandler(AwsRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        this.options = options;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            var isLastAttempt = attempt >= options.MaxAttempts;
            using var timeout = new CancellationTokenSource(options.AttemptTimeout, options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (isLastAttempt)
                {
                    throw new TimeoutException($"The request timed out on each of {attempt} attempts (limit {options.AttemptTimeout.TotalSeconds:0.###} s per attempt).", ex);
                }

                await options.DelayAsync(options.BackoffBefore(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex) when (IsTransientNetworkError(ex) && !cancellationToken.IsCancellationRequested && !isLastAttempt)
            {
                await options.DelayAsync(options.BackoffBefore(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await response.Content.LoadIntoBufferAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when ((ex is OperationCanceledException || IsTransientNetworkError(ex)) && !cancellationToken.IsCancellationRequested)
            {
                response.Dispose();
                if (isLastAttempt)
                {
                    throw ex is OperationCanceledException
                        ? new TimeoutException($"The response could not be read within {options.AttemptTimeout.TotalSeconds:0.###} s on attempt {attempt}.", ex)
                        : new HttpRequestException($"The response could not be read on attempt {attempt}: {ex.Message}", ex);
                }

                await options.DelayAsync(options.BackoffBefore(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.IsSuccessStatusCode || isLastAttempt || !await IsRetryableAsync(response, cancellationToken).ConfigureAwait(false))
            {
                return response;
            }

            response.Dispose();
            await options.DelayAsync(options.BackoffBefore(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> IsRetryableAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var error = AwsErrorResponse.Read(response, body);
        return AwsErrorClassification.IsRetryable(error.Code, response.StatusCode);
    }

    // The SDK retries any IOException, bare or wrapped (HttpRequestException wraps socket and stream failures).
    private static bool IsTransientNetworkError(Exception ex) =>
        ex is HttpRequestException or IOException and not FileNotFoundException
        || (ex.InnerException is { } inner && IsTransientNetworkError(inner));
}
