using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TrailResponder.LocalAws.Signing;

/// <summary>Why a request's signature was refused.</summary>
internal enum SignatureProblem
{
    MissingAuthentication,
    IncompleteSignature,
    UnknownAccessKey,
    SignatureMismatch,
    WrongScope,
    Expired,
    PayloadHashMismatch,
}

/// <summary>The parts of an Authorization header: credential scope, signed header names and the signature.</summary>
internal sealed record AuthorizationHeader(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public string Scope => $"{Date}/{Region}/{Service}/aws4_request";

    public static AuthorizationHeader? Parse(string value)
    {
        if (!value.StartsWith(SigV4Algorithm.Scheme + " ", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = value[(SigV4Algorithm.Scheme.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return null;
        }
        var scope = credential.Split('/');
        return scope.Length == 5 && scope[4] == "aws4_request" && scope.All(s => s.Length > 0) && signedHeaders.Length > 0
            ? new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], signedHeaders.Split(';'), signature)
            : null;
    }
}

/// <summary>The outcome of checking one request: the header (when it parsed) and the problem, if any.</summary>
internal sealed record SignatureCheck(AuthorizationHeader? Authorization, SignatureProblem? Problem, string Message, ChunkSignatureChain? Chunks = null)
{
    public bool Succeeded => Problem is null;
}

/// <summary>Verifies a header-signed SigV4 request with our own implementation of the algorithm.</summary>
internal sealed class SignatureVerifier(LocalAwsOptions options, TimeProvider clock)
{
    public SignatureCheck Verify(HttpRequest request, string rawTarget, byte[] body)
    {
        if (!request.Headers.TryGetValue("Authorization", out var authorizationValue))
        {
            return Fail(null, SignatureProblem.MissingAuthentication, "Request is missing Authentication Token");
        }
        var authorization = AuthorizationHeader.Parse(authorizationValue.ToString());
        if (authorization is null)
        {
            return Fail(null, SignatureProblem.IncompleteSignature, $"Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters with a {SigV4Algorithm.Scheme} scheme and a 5-part credential scope. Authorization={authorizationValue}");
        }
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return Fail(authorization, SignatureProblem.IncompleteSignature, "Authorization header requires existence of a valid 'X-Amz-Date' header.");
        }
        if (!authorization.SignedHeaders.Contains("host"))
        {
            return Fail(authorization, SignatureProblem.IncompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (authorization.Date != amzDate[..8])
        {
            return Fail(authorization, SignatureProblem.WrongScope, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{authorization.Date}' != '{amzDate[..8]}'");
        }
        if (authorization.Region != options.Region)
        {
            return Fail(authorization, SignatureProblem.WrongScope, $"Credential should be scoped to a valid region, not '{authorization.Region}'; expecting '{options.Region}'.");
        }

        var credential = options.Credentials.FirstOrDefault(c => c.AccessKeyId == authorization.AccessKeyId);
        if (credential is null)
        {
            return Fail(authorization, SignatureProblem.UnknownAccessKey, "The security token included in the request is invalid.");
        }
        var token = request.Headers["X-Amz-Security-Token"].ToString();
        if (credential.SessionToken is not null && token != credential.SessionToken)
        {
            return Fail(authorization, SignatureProblem.UnknownAccessKey, "The security token included in the request is invalid.");
        }

        var now = clock.GetUtcNow();
        if ((now - signedAt).Duration() > options.AllowedClockSkew)
        {
            return Fail(authorization, SignatureProblem.Expired, $"Signature expired: {amzDate} is now earlier than {(now - options.AllowedClockSkew).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)} ({now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)} - {options.AllowedClockSkew.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min.)");
        }

        var bodyHash = SigV4Algorithm.Hash(body);
        var declaredHash = request.Headers["X-Amz-Content-SHA256"].ToString();
        // Only S3 accepts unsigned and streaming payloads; the other services always sign the body's own hash.
        var unsignedBody = authorization.Service == "s3"
            && (declaredHash == "UNSIGNED-PAYLOAD" || declaredHash.StartsWith("STREAMING-", StringComparison.Ordinal));
        if (declaredHash.Length > 0 && !unsignedBody && !string.Equals(declaredHash, bodyHash, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(authorization, SignatureProblem.PayloadHashMismatch, $"The provided 'x-amz-content-sha256' header does not match what was computed. Client: {declaredHash}, computed: {bodyHash}");
        }

        var canonicalRequest = CanonicalRequest(request, rawTarget, authorization, declaredHash.Length > 0 ? declaredHash : bodyHash);
        var stringToSign = SigV4Algorithm.StringToSign(amzDate, authorization.Scope, canonicalRequest);
        var signingKey = SigV4Algorithm.SigningKey(credential.SecretAccessKey, authorization.Date, authorization.Region, authorization.Service);
        var expected = SigV4Algorithm.Sign(signingKey, stringToSign);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization.Signature)))
        {
            return Fail(authorization, SignatureProblem.SignatureMismatch,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
                $"The Canonical String for this request should have been\n'{canonicalRequest}'\n\nThe String-to-Sign should have been\n'{stringToSign}'");
        }
        // Signed streaming uploads chain each chunk's signature from this (seed) signature.
        var chunks = declaredHash.StartsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", StringComparison.Ordinal)
            ? new ChunkSignatureChain(signingKey, amzDate, authorization.Scope, authorization.Signature)
            : null;
        return new SignatureCheck(authorization, null, "", chunks);
    }

    private static SignatureCheck Fail(AuthorizationHeader? authorization, SignatureProblem problem, string message) => new(authorization, problem, message);

    private static string CanonicalRequest(HttpRequest request, string rawTarget, AuthorizationHeader authorization, string payloadHash)
    {
        var questionMark = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = questionMark < 0 ? rawTarget : rawTarget[..questionMark];
        var rawQuery = questionMark < 0 ? "" : rawTarget[(questionMark + 1)..];

        // S3 signs the path encoded once; every other service signs the already-encoded path encoded again.
        var s3 = authorization.Service == "s3";
        var canonicalPath = string.Join('/', rawPath.Split('/').Select(segment => SigV4Algorithm.UriEncode(s3 ? Uri.UnescapeDataString(segment) : segment)));
        if (canonicalPath.Length == 0)
        {
            canonicalPath = "/";
        }

        var canonicalQuery = string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? "" : pair[(equals + 1)..];
                return (Name: SigV4Algorithm.UriEncode(Uri.UnescapeDataString(name)), Value: SigV4Algorithm.UriEncode(Uri.UnescapeDataString(value)));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

        var canonicalHeaders = new StringBuilder();
        foreach (var name in authorization.SignedHeaders)
        {
            var values = request.Headers[name].Select(v => CollapseSpaces(v ?? ""));
            canonicalHeaders.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        return $"{request.Method}\n{canonicalPath}\n{canonicalQuery}\n{canonicalHeaders}\n{string.Join(';', authorization.SignedHeaders)}\n{payloadHash}";
    }

    private static string CollapseSpaces(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
