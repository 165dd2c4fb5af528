using System.Text.Json;

namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    private static readonly string[] Environments = ["prod", "staging", "dev"];
    private static readonly string[] FunctionNames = ["order-processor", "invoice-renderer", "thumbnailer", "audit-exporter"];
    private static readonly string[] StackNames = ["network-baseline", "orders-service", "data-lake"];
    private static readonly string[] TableNames = ["orders", "customers", "sessions"];
    private static readonly string[] BucketNames = ["acme-app-assets", "acme-data-lake-raw", "acme-invoices", "acme-build-artifacts"];
    private static readonly string[] ObjectKeys =
    [
        "exports/2026/orders-{0}.parquet", "uploads/images/{0}.jpg", "invoices/2026/INV-{0}.pdf", "builds/web/{0}/bundle.tar.gz",
    ];

    private static readonly ReadOperation[] RegionalReads =
    [
        new("ec2.amazonaws.com", "DescribeInstances", static (w, r) =>
        {
            w.WriteEmptyObject("instancesSet");
            w.WriteStartObject("filterSet");
            w.WriteStartArray("items");
            w.WriteStartObject();
            w.WriteString("name", "tag:Environment");
            w.WriteStartObject("valueSet");
            w.WriteStartArray("items");
            w.WriteStartObject();
            w.WriteString("value", r.Pick(Environments));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }),
        new("ec2.amazonaws.com", "DescribeSecurityGroups", static (w, r) =>
        {
            w.WriteEmptyObject("securityGroupSet");
            w.WriteEmptyObject("securityGroupIdSet");
            w.WriteNumber("maxResults", 1000);
        }),
        new("ec2.amazonaws.com", "DescribeVolumes", static (w, r) =>
        {
            w.WriteEmptyObject("volumeSet");
            w.WriteEmptyObject("filterSet");
        }),
        new("ec2.amazonaws.com", "DescribeSubnets", static (w, r) =>
        {
            w.WriteEmptyObject("subnetSet");
            w.WriteEmptyObject("filterSet");
        }),
        new("s3.amazonaws.com", "GetBucketEncryption", static (w, r) =>
        {
            var bucket = r.Pick(BucketNames);
            w.WriteString("bucketName", bucket);
            w.WriteString("Host", $"{bucket}.s3.amazonaws.com");
            w.WriteString("encryption", "");
        }),
        new("s3.amazonaws.com", "GetBucketLocation", static (w, r) =>
        {
            var bucket = r.Pick(BucketNames);
            w.WriteString("bucketName", bucket);
            w.WriteString("Host", $"{bucket}.s3.amazonaws.com");
            w.WriteString("location", "");
        }),
        new("lambda.amazonaws.com", "ListFunctions20150331", null),
        new("lambda.amazonaws.com", "GetFunction20150331v2", static (w, r) => w.WriteString("functionName", r.Pick(FunctionNames))),
        new("cloudformation.amazonaws.com", "DescribeStacks", static (w, r) => w.WriteString("stackName", r.Pick(StackNames))),
        new("monitoring.amazonaws.com", "DescribeAlarms", static (w, r) =>
        {
            w.WriteNumber("maxRecords", 100);
            w.WriteString("stateValue", "ALARM");
        }),
        new("logs.amazonaws.com", "DescribeLogGroups", static (w, r) => w.WriteString("logGroupNamePrefix", "/aws/lambda/" + r.Pick(FunctionNames))),
        new("ssm.amazonaws.com", "GetParameters", static (w, r) =>
        {
            w.WriteStartArray("names");
            w.WriteStringValue($"/{r.Pick(Environments)}/{r.Pick(FunctionNames)}/database-url");
            w.WriteEndArray();
            w.WriteBoolean("withDecryption", true);
        }),
        new("kms.amazonaws.com", "DescribeKey", static (w, r) => w.WriteString("keyId", "alias/" + r.Pick(FunctionNames))),
        new("config.amazonaws.com", "DescribeConfigRules", null),
        new("dynamodb.amazonaws.com", "DescribeTable", static (w, r) => w.WriteString("tableName", r.Pick(TableNames))),
        new("ecr.amazonaws.com", "GetAuthorizationToken", null),
        new("cloudtrail.amazonaws.com", "LookupEvents", static (w, r) => w.WriteNumber("maxResults", 50)),
    ];

    private static readonly ReadOperation[] GlobalReads =
    [
        new("iam.amazonaws.com", "GetRole", static (w, r) => w.WriteString("roleName", r.Pick(FunctionNames) + "-execution-role")),
        new("iam.amazonaws.com", "ListRoles", static (w, r) => w.WriteNumber("maxItems", 100)),
        new("iam.amazonaws.com", "GetUser", static (w, r) => w.WriteString("userName", "alice")),
        new("iam.amazonaws.com", "ListAttachedRolePolicies", static (w, r) => w.WriteString("roleName", "DeployRole")),
        new("sts.amazonaws.com", "GetCallerIdentity", null),
    ];

    private static readonly string[] DecryptingServices = ["s3.amazonaws.com", "secretsmanager.amazonaws.com", "logs.amazonaws.com", "sqs.amazonaws.com"];

    /// <summary>A read-only management call (<c>Describe*</c>, <c>Get*</c>, <c>List*</c>) by an ordinary caller: benign.</summary>
    public string ManagementRead() => Render(ManagementReadSpec(OrdinaryCaller()));

    /// <summary>An S3 object-level data event (<c>GetObject</c> or <c>PutObject</c>): benign.</summary>
    public string S3ObjectDataEvent(string eventName = "GetObject")
    {
        if (eventName is not ("GetObject" or "PutObject"))
        {
            throw new ArgumentOutOfRangeException(nameof(eventName), eventName, "Only GetObject and PutObject are generated.");
        }

        var bucket = random.Pick(BucketNames);
        var key = string.Format(System.Globalization.CultureInfo.InvariantCulture, random.Pick(ObjectKeys), random.Next(100000, 999999));
        var put = eventName == "PutObject";
        var bytes = random.Next(512, 40_000_000);
        var versionId = random.Alphanumeric(32);
        var kmsKey = $"arn:aws:kms:{Region}:{AccountId}:key/{random.Uuid()}";
        var amzId = random.Alphanumeric(76);
        var host = $"{bucket}.s3.{Region}.amazonaws.com";
        return Render(Call(random.Chance(50) ? principals.AssumedRole("DataPipelineRole") : principals.Ec2InstanceRole(), "s3.amazonaws.com", eventName, readOnly: !put) with
        {
            RequestParameters = w =>
            {
                w.WriteString("bucketName", bucket);
                w.WriteString("Host", host);
                w.WriteString("key", key);
            },
            ResponseElements = put
                ? w =>
                {
                    w.WriteString("x-amz-server-side-encryption-aws-kms-key-id", kmsKey);
                    w.WriteString("x-amz-server-side-encryption", "aws:kms");
                    w.WriteString("x-amz-version-id", versionId);
                }
                : null,
            AdditionalEventData = w =>
            {
                w.WriteString("SignatureVersion", "SigV4");
                w.WriteString("CipherSuite", "TLS_AES_128_GCM_SHA256");
                w.WriteNumber("bytesTransferredIn", put ? bytes : 0);
                w.WriteString("SSEApplied", "SSE_KMS");
                w.WriteString("AuthenticationMethod", "AuthHeader");
                w.WriteString("x-amz-id-2", amzId);
                w.WriteNumber("bytesTransferredOut", put ? 0 : bytes);
            },
            Resources =
            [
                new ResourceReference($"arn:aws:s3:::{bucket}/{key}", null, "AWS::S3::Object"),
                new ResourceReference($"arn:aws:s3:::{bucket}", AccountId, "AWS::S3::Bucket"),
            ],
            ManagementEvent = false,
            EventCategory = "Data",
            TlsHost = host,
        });
    }

    /// <summary>A Lambda <c>Invoke</c> data event: benign.</summary>
    public string LambdaInvoke()
    {
        var function = $"arn:aws:lambda:{Region}:{AccountId}:function:{random.Pick(FunctionNames)}";
        return Render(Call(principals.AssumedRole("DataPipelineRole"), "lambda.amazonaws.com", "Invoke", readOnly: false) with
        {
            RequestParameters = w =>
            {
                w.WriteString("functionName", function);
                w.WriteString("invocationType", random.Chance(50) ? "Event" : "RequestResponse");
            },
            AdditionalEventData = w => w.WriteString("functionVersion", function + ":$LATEST"),
            Resources = [new ResourceReference(function, AccountId, "AWS::Lambda::Function")],
            ManagementEvent = false,
            EventCategory = "Data",
        });
    }

    /// <summary>KMS <c>Decrypt</c> made by an AWS service on a customer key: benign.</summary>
    public string KmsDecryptByService()
    {
        var service = random.Pick(DecryptingServices);
        var keyArn = $"arn:aws:kms:{Region}:{AccountId}:key/{random.Uuid()}";
        var context = $"arn:aws:s3:::{random.Pick(BucketNames)}/exports/{random.Next(100000, 999999)}";
        return Render(ServiceCall(SampleAccountPrincipals.AwsService(service), service, "kms.amazonaws.com", "Decrypt", readOnly: true) with
        {
            RequestParameters = w =>
            {
                w.WriteStartObject("encryptionContext");
                w.WriteString("aws:s3:arn", context);
                w.WriteEndObject();
                w.WriteString("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
            },
            Resources = [new ResourceReference(keyArn, AccountId, "AWS::KMS::Key")],
        });
    }

    /// <summary>
    /// One benign record from a realistic mix (reads, data events, service calls, harmless errors, MFA sign-ins);
    /// none triggers a CIS rule. Global-service events appear only when this factory records them.
    /// </summary>
    public string BenignRecord()
    {
        var global = RecordsGlobalServiceEvents;
        var roll = random.Next(100);
        return roll switch
        {
            < 40 => ManagementRead(),
            < 62 => S3ObjectDataEvent(random.Chance(70) ? "GetObject" : "PutObject"),
            < 68 => KmsDecryptByService(),
            < 74 => LambdaInvoke(),
            < 78 => CallBy(CallerKind.Ec2InstanceRole),
            < 80 => CallBy(CallerKind.IdentityCenterUser),
            < 82 => CallBy(CallerKind.FederatedUser),
            < 84 => ThrottledCall(),
            < 86 => MissingBucketPolicyLookup(),
            < 88 => ManagementRead(),
            _ when !global => ManagementRead(),
            < 93 => ServiceAssumeRole(),
            < 95 => Render(ManagementReadSpec(OrdinaryCaller(), GlobalReads)),
            < 96 => MissingIamEntityLookup(),
            < 97 => CallBy(CallerKind.SamlUser),
            < 98 => CallBy(CallerKind.WebIdentityUser),
            < 99 => CallBy(CallerKind.AwsAccount),
            _ => ConsoleLogin(SignInCaller.IamUser, mfaUsed: true, succeeded: true),
        };
    }

    /// <summary>
    /// A record for bulk files: nearly always <see cref="BenignRecord"/>, with about one in a hundred drawn from the
    /// notable events (denied calls, security-group changes, failed sign-ins) so a parser meets both.
    /// </summary>
    public string MixedRecord()
    {
        if (!random.Chance(1))
        {
            return BenignRecord();
        }

        return random.Next(4) switch
        {
            0 => UnauthorizedEc2Call(),
            1 => AccessDeniedS3Call(),
            2 => AuthorizeSecurityGroupIngress(
                "sg-0" + random.Hex(16),
                SecurityGroupPermission.Tcp(443, "0.0.0.0/0")),
            _ when RecordsGlobalServiceEvents => ConsoleLogin(SignInCaller.IamUser, mfaUsed: false, succeeded: false),
            _ => AccessDeniedExceptionCall(),
        };
    }

    /// <summary>An endless stream of <see cref="MixedRecord"/>; take what you need.</summary>
    public IEnumerable<string> MixedRecords()
    {
        while (true)
        {
            yield return MixedRecord();
        }
    }

    private CallerIdentity OrdinaryCaller() => random.Next(4) switch
    {
        0 => principals.IamUser(),
        1 => principals.AssumedRole(),
        2 => principals.SsoPermissionSetRole(),
        _ => principals.Ec2InstanceRole(),
    };

    private EventSpec ManagementReadSpec(CallerIdentity caller) =>
        ManagementReadSpec(caller, RecordsGlobalServiceEvents && random.Chance(15) ? GlobalReads : RegionalReads);

    private EventSpec ManagementReadSpec(CallerIdentity caller, IReadOnlyList<ReadOperation> operations)
    {
        var operation = random.Pick(operations);
        return Call(caller, operation.EventSource, operation.EventName, readOnly: true) with
        {
            RequestParameters = operation.Parameters is null ? null : w => operation.Parameters(w, random),
        };
    }

    /// <summary>A read-only API and how to write plausible request parameters for it.</summary>
    private sealed record ReadOperation(string EventSource, string EventName, Action<Utf8JsonWriter, DeterministicRandom>? Parameters);
}
