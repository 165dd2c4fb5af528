using System.Text.Json;

namespace TrailResponder.SampleTrail;

/// <summary>The <c>userIdentity</c> block of a record, as CloudTrail writes it for one kind of caller.</summary>
internal sealed record CallerIdentity
{
    public required string Type { get; init; }

    public string? PrincipalId { get; init; }

    public string? Arn { get; init; }

    public string? AccountId { get; init; }

    public string? AccessKeyId { get; init; }

    public string? UserName { get; init; }

    public string? InvokedBy { get; init; }

    public string? IdentityProvider { get; init; }

    public SessionContext? Session { get; init; }

    public string? OnBehalfOfUserId { get; init; }

    public string? IdentityStoreArn { get; init; }

    public string? CredentialId { get; init; }

    public void Write(Utf8JsonWriter writer, DateTimeOffset eventTime)
    {
        writer.WriteStartObject("userIdentity");
        writer.WriteString("type", Type);
        WriteIfPresent(writer, "principalId", PrincipalId);
        WriteIfPresent(writer, "arn", Arn);
        WriteIfPresent(writer, "accountId", AccountId);
        WriteIfPresent(writer, "accessKeyId", AccessKeyId);
        WriteIfPresent(writer, "userName", UserName);
        Session?.Write(writer, eventTime);
        WriteIfPresent(writer, "invokedBy", InvokedBy);
        WriteIfPresent(writer, "identityProvider", IdentityProvider);
        if (OnBehalfOfUserId is not null)
        {
            writer.WriteStartObject("onBehalfOf");
            writer.WriteString("userId", OnBehalfOfUserId);
            WriteIfPresent(writer, "identityStoreArn", IdentityStoreArn);
            writer.WriteEndObject();
        }

        WriteIfPresent(writer, "credentialId", CredentialId);
        writer.WriteEndObject();
    }

    internal static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}

/// <summary>Who issued a temporary credential (<c>sessionContext.sessionIssuer</c>).</summary>
internal sealed record SessionIssuer(string Type, string PrincipalId, string Arn, string AccountId, string UserName);

/// <summary>The <c>sessionContext</c> of a temporary-credential or console caller.</summary>
internal sealed record SessionContext
{
    /// <summary>Null writes the empty issuer <c>{}</c> CloudTrail shows for IAM users' console sessions.</summary>
    public SessionIssuer? Issuer { get; init; }

    public required TimeSpan Age { get; init; }

    public bool MfaAuthenticated { get; init; }

    public string? Ec2RoleDelivery { get; init; }

    public string? SourceIdentity { get; init; }

    public bool WriteWebIdFederationData { get; init; } = true;

    public void Write(Utf8JsonWriter writer, DateTimeOffset eventTime)
    {
        writer.WriteStartObject("sessionContext");
        writer.WriteStartObject("sessionIssuer");
        if (Issuer is not null)
        {
            writer.WriteString("type", Issuer.Type);
            writer.WriteString("principalId", Issuer.PrincipalId);
            writer.WriteString("arn", Issuer.Arn);
            writer.WriteString("accountId", Issuer.AccountId);
            writer.WriteString("userName", Issuer.UserName);
        }

        writer.WriteEndObject();
        if (WriteWebIdFederationData)
        {
            writer.WriteStartObject("webIdFederationData");
            writer.WriteEndObject();
        }

        writer.WriteStartObject("attributes");
        writer.WriteString("creationDate", CloudTrailTime.Format(eventTime - Age));
        writer.WriteString("mfaAuthenticated", MfaAuthenticated ? "true" : "false");
        writer.WriteEndObject();
        CallerIdentity.WriteIfPresent(writer, "sourceIdentity", SourceIdentity);
        CallerIdentity.WriteIfPresent(writer, "ec2RoleDelivery", Ec2RoleDelivery);
        writer.WriteEndObject();
    }
}
