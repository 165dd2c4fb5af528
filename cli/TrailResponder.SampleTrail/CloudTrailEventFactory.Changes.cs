using System.Globalization;
using System.Text.Json;

namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    private const string AdministratorAccessArn = "arn:aws:iam::aws:policy/AdministratorAccess";
    private const string AdministratorPolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string ReadOnlyPolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::acme-data-lake-raw","arn:aws:s3:::acme-data-lake-raw/*"]}]}""";
    private const string TrailName = "management-events";

    /// <summary>An IAM policy change named by <paramref name="eventName"/> (one of <see cref="CisWatchedEvents.IamPolicyChanges"/>): triggers CIS-4.4.</summary>
    public string IamPolicyChange(string eventName)
    {
        RequireOneOf(eventName, CisWatchedEvents.IamPolicyChanges);
        var target = eventName.Contains("Group", StringComparison.Ordinal) ? ("groupName", "developers")
            : eventName.Contains("Role", StringComparison.Ordinal) ? ("roleName", "order-processor-execution-role")
            : ("userName", principals.AnyUserName());
        var policyArn = $"arn:aws:iam::{AccountId}:policy/orders-data-access";
        var created = IamDate();
        var policyId = "ANPA" + random.UpperAlphanumeric(17);
        return Render(Call(principals.AssumedRole("DeployRole"), "iam.amazonaws.com", eventName, readOnly: false) with
        {
            RequestParameters = w =>
            {
                if (eventName is "PutGroupPolicy" or "PutRolePolicy" or "PutUserPolicy" or "DeleteGroupPolicy" or "DeleteRolePolicy" or "DeleteUserPolicy")
                {
                    w.WriteString(target.Item1, target.Item2);
                    w.WriteString("policyName", "orders-data-access");
                    if (eventName.StartsWith("Put", StringComparison.Ordinal))
                    {
                        w.WriteString("policyDocument", ReadOnlyPolicyDocument);
                    }
                }
                else if (eventName.StartsWith("Attach", StringComparison.Ordinal) || eventName.StartsWith("Detach", StringComparison.Ordinal))
                {
                    w.WriteString(target.Item1, target.Item2);
                    w.WriteString("policyArn", policyArn);
                }
                else if (eventName == "CreatePolicy")
                {
                    w.WriteString("policyName", "orders-data-access");
                    w.WriteString("policyDocument", ReadOnlyPolicyDocument);
                    w.WriteString("description", "Read access to the orders data lake");
                }
                else
                {
                    w.WriteString("policyArn", policyArn);
                    if (eventName == "CreatePolicyVersion")
                    {
                        w.WriteString("policyDocument", ReadOnlyPolicyDocument);
                        w.WriteBoolean("setAsDefault", true);
                    }
                    else if (eventName == "DeletePolicyVersion")
                    {
                        w.WriteString("versionId", "v1");
                    }
                }
            },
            ResponseElements = eventName switch
            {
                "CreatePolicy" => w =>
                {
                    w.WriteStartObject("policy");
                    w.WriteString("policyName", "orders-data-access");
                    w.WriteString("policyId", policyId);
                    w.WriteString("arn", policyArn);
                    w.WriteString("path", "/");
                    w.WriteString("defaultVersionId", "v1");
                    w.WriteNumber("attachmentCount", 0);
                    w.WriteNumber("permissionsBoundaryUsageCount", 0);
                    w.WriteBoolean("isAttachable", true);
                    w.WriteString("createDate", created);
                    w.WriteString("updateDate", created);
                    w.WriteEndObject();
                },
                "CreatePolicyVersion" => w =>
                {
                    w.WriteStartObject("policyVersion");
                    w.WriteString("versionId", "v2");
                    w.WriteBoolean("isDefaultVersion", true);
                    w.WriteString("createDate", created);
                    w.WriteEndObject();
                },
                _ => null,
            },
        });
    }

    /// <summary>A CloudTrail configuration change (one of <see cref="CisWatchedEvents.CloudTrailChanges"/>): triggers CIS-4.5.</summary>
    public string CloudTrailChange(string eventName)
    {
        RequireOneOf(eventName, CisWatchedEvents.CloudTrailChanges);
        var writesTrail = eventName is "CreateTrail" or "UpdateTrail";
        return Render(TrailCall(eventName, writesTrail ? w => WriteTrailSettings(w, logFileValidation: true) : w => w.WriteString("name", TrailName), writesTrail, logFileValidation: true));
    }

    /// <summary><c>UpdateTrail</c> switching log file validation off (<c>enableLogFileValidation: false</c>): triggers CIS-4.5.</summary>
    public string DisableLogFileValidation()
    {
        return Render(TrailCall("UpdateTrail", w =>
        {
            w.WriteString("name", TrailName);
            w.WriteBoolean("enableLogFileValidation", false);
        }, writesTrail: true, logFileValidation: false));
    }

    /// <summary>A KMS key being disabled or scheduled for deletion (one of <see cref="CisWatchedEvents.KmsKeyChanges"/>): triggers CIS-4.7.</summary>
    public string KmsKeyChange(string eventName)
    {
        RequireOneOf(eventName, CisWatchedEvents.KmsKeyChanges);
        var keyArn = $"arn:aws:kms:{Region}:{AccountId}:key/{random.Uuid()}";
        var deletion = CloudTrailIamDate(BaseTime.AddDays(7));
        return Render(Call(principals.SsoPermissionSetRole(), "kms.amazonaws.com", eventName, readOnly: false) with
        {
            UserAgent = BrowserUserAgent,
            RequestParameters = w =>
            {
                w.WriteString("keyId", keyArn);
                if (eventName == "ScheduleKeyDeletion")
                {
                    w.WriteNumber("pendingWindowInDays", 7);
                }
            },
            ResponseElements = eventName == "ScheduleKeyDeletion"
                ? w =>
                {
                    w.WriteString("keyId", keyArn);
                    w.WriteString("deletionDate", deletion);
                    w.WriteString("keyState", "PendingDeletion");
                    w.WriteNumber("pendingWindowInDays", 7);
                }
                : null,
            Resources = [new ResourceReference(keyArn, AccountId, "AWS::KMS::Key")],
        });
    }

    /// <summary>An S3 bucket policy, ACL, CORS, lifecycle or replication change (one of <see cref="CisWatchedEvents.S3BucketPolicyChanges"/>): triggers CIS-4.8.</summary>
    public string S3BucketPolicyChange(string eventName)
    {
        RequireOneOf(eventName, CisWatchedEvents.S3BucketPolicyChanges);
        var subresource = eventName[(eventName.IndexOf("Bucket", StringComparison.Ordinal) + "Bucket".Length)..].ToLowerInvariant();
        var bucket = random.Pick(BucketNames);
        return Render(BucketCall(eventName, bucket, w =>
        {
            w.WriteString(subresource, "");
            if (eventName == "PutBucketPolicy")
            {
                WriteBucketPolicy(w, bucket, "AWS", $"arn:aws:iam::{AccountId}:role/DataPipelineRole");
            }
            else if (eventName == "PutBucketAcl")
            {
                w.WriteStartObject("AccessControlPolicy");
                w.WriteString("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
                w.WriteStartObject("Owner");
                w.WriteString("ID", random.Hex(64));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            else if (eventName.StartsWith("Put", StringComparison.Ordinal))
            {
                w.WriteStartObject(subresource switch { "cors" => "CORSConfiguration", "lifecycle" => "LifecycleConfiguration", _ => "ReplicationConfiguration" });
                w.WriteString("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
                w.WriteEndObject();
            }
        }));
    }

    /// <summary>An S3 <c>PutBucketPolicy</c> granting <c>s3:GetObject</c> to <c>Principal "*"</c>: triggers CIS-4.8.</summary>
    public string PublicBucketPolicy(string bucketName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);
        return Render(BucketCall("PutBucketPolicy", bucketName, w =>
        {
            w.WriteString("policy", "");
            WriteBucketPolicy(w, bucketName, principalKind: null, principal: "*");
        }));
    }

    /// <summary>An S3 <c>PutBucketAcl</c> with the canned ACL <c>x-amz-acl: ["public-read"]</c>: triggers CIS-4.8.</summary>
    public string PublicReadBucketAcl(string bucketName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);
        return Render(BucketCall("PutBucketAcl", bucketName, w =>
        {
            w.WriteString("acl", "");
            w.WriteStartArray("x-amz-acl");
            w.WriteStringValue("public-read");
            w.WriteEndArray();
        }));
    }

    /// <summary>An AWS Config recorder or delivery-channel change (one of <see cref="CisWatchedEvents.ConfigChanges"/>): triggers CIS-4.9.</summary>
    public string ConfigChange(string eventName)
    {
        RequireOneOf(eventName, CisWatchedEvents.ConfigChanges);
        return Render(Call(principals.AssumedRole("PlatformOpsRole"), "config.amazonaws.com", eventName, readOnly: false) with
        {
            RequestParameters = w =>
            {
                switch (eventName)
                {
                    case "StopConfigurationRecorder":
                        w.WriteString("configurationRecorderName", "default");
                        break;
                    case "DeleteDeliveryChannel":
                        w.WriteString("deliveryChannelName", "default");
                        break;
                    case "PutDeliveryChannel":
                        w.WriteStartObject("deliveryChannel");
                        w.WriteString("name", "default");
                        w.WriteString("s3BucketName", $"config-bucket-{AccountId}");
                        w.WriteEndObject();
                        break;
                    default:
                        w.WriteStartObject("configurationRecorder");
                        w.WriteString("name", "default");
                        w.WriteString("roleARN", $"arn:aws:iam::{AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig");
                        w.WriteStartObject("recordingGroup");
                        w.WriteBoolean("allSupported", true);
                        w.WriteBoolean("includeGlobalResourceTypes", true);
                        w.WriteEndObject();
                        w.WriteEndObject();
                        break;
                }
            },
        });
    }

    /// <summary>An AWS Organizations change (one of <see cref="CisWatchedEvents.OrganizationsChanges"/>), recorded in us-east-1: triggers CIS-4.15.</summary>
    public string OrganizationsChange(string eventName)
    {
        RequireOneOf(eventName, CisWatchedEvents.OrganizationsChanges);
        var policyId = "p-" + random.Hex(8);
        var handshakeId = "h-" + random.Hex(32);
        var ouId = $"ou-{random.Hex(4)}-{random.Hex(8)}";
        var rootId = "r-" + random.Hex(4);
        return Render(Call(principals.SsoPermissionSetRole(), "organizations.amazonaws.com", eventName, readOnly: false) with
        {
            UserAgent = BrowserUserAgent,
            RequestParameters = eventName is "DeleteOrganization" or "LeaveOrganization" ? null : w =>
            {
                switch (eventName)
                {
                    case "AcceptHandshake" or "DeclineHandshake":
                        w.WriteString("handshakeId", handshakeId);
                        break;
                    case "AttachPolicy" or "DetachPolicy":
                        w.WriteString("policyId", policyId);
                        w.WriteString("targetId", SampleAccountPrincipals.OtherAccountId);
                        break;
                    case "CreateAccount":
                        w.WriteString("accountName", "sandbox-" + random.Next(100, 999));
                        w.WriteString("email", "HIDDEN_DUE_TO_SECURITY_REASONS");
                        break;
                    case "CreateOrganizationalUnit":
                        w.WriteString("parentId", rootId);
                        w.WriteString("name", "Sandbox");
                        break;
                    case "DeleteOrganizationalUnit" or "UpdateOrganizationalUnit":
                        w.WriteString("organizationalUnitId", ouId);
                        break;
                    case "CreatePolicy":
                        w.WriteString("content", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}""");
                        w.WriteString("description", "Protect CloudTrail");
                        w.WriteString("name", "protect-cloudtrail");
                        w.WriteString("type", "SERVICE_CONTROL_POLICY");
                        break;
                    case "DeletePolicy" or "UpdatePolicy":
                        w.WriteString("policyId", policyId);
                        break;
                    case "DisablePolicyType" or "EnablePolicyType":
                        w.WriteString("rootId", rootId);
                        w.WriteString("policyType", "SERVICE_CONTROL_POLICY");
                        break;
                    case "InviteAccountToOrganization":
                        w.WriteStartObject("target");
                        w.WriteString("id", SampleAccountPrincipals.OtherAccountId);
                        w.WriteString("type", "ACCOUNT");
                        w.WriteEndObject();
                        break;
                    default:
                        w.WriteString("accountId", SampleAccountPrincipals.OtherAccountId);
                        if (eventName == "MoveAccount")
                        {
                            w.WriteString("sourceParentId", rootId);
                            w.WriteString("destinationParentId", ouId);
                        }

                        break;
                }
            },
        });
    }

    /// <summary>IAM <c>AttachUserPolicy</c> of <c>arn:aws:iam::aws:policy/AdministratorAccess</c>: privilege escalation, triggers CIS-4.4.</summary>
    public string AttachAdministratorAccessToUser(string userName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        return Render(Call(principals.IamUser(userName), "iam.amazonaws.com", "AttachUserPolicy", readOnly: false) with
        {
            RequestParameters = w =>
            {
                w.WriteString("userName", userName);
                w.WriteString("policyArn", AdministratorAccessArn);
            },
        });
    }

    /// <summary>IAM <c>PutUserPolicy</c> with an inline allow-everything policy: privilege escalation, triggers CIS-4.4.</summary>
    public string PutAdministratorInlineUserPolicy(string userName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        return Render(Call(principals.IamUser(userName), "iam.amazonaws.com", "PutUserPolicy", readOnly: false) with
        {
            RequestParameters = w =>
            {
                w.WriteString("userName", userName);
                w.WriteString("policyName", "break-glass");
                w.WriteString("policyDocument", AdministratorPolicyDocument);
            },
        });
    }

    /// <summary>IAM <c>CreateAccessKey</c> by one user for another (<c>requestParameters.userName</c> set): privilege escalation, no CIS rule.</summary>
    public string CreateAccessKeyForAnotherUser(string callerUserName, string targetUserName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callerUserName);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetUserName);
        var accessKeyId = "AKIA" + random.UpperAlphanumeric(16);
        var created = IamDate();
        return Render(Call(principals.IamUser(callerUserName), "iam.amazonaws.com", "CreateAccessKey", readOnly: false) with
        {
            RequestParameters = w => w.WriteString("userName", targetUserName),
            ResponseElements = w =>
            {
                w.WriteStartObject("accessKey");
                w.WriteString("userName", targetUserName);
                w.WriteString("accessKeyId", accessKeyId);
                w.WriteString("status", "Active");
                w.WriteString("createDate", created);
                w.WriteEndObject();
            },
        });
    }

    /// <summary>IAM <c>CreateLoginProfile</c> giving a user a console password: privilege escalation, no CIS rule.</summary>
    public string CreateLoginProfile(string callerUserName, string targetUserName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callerUserName);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetUserName);
        var created = IamDate();
        return Render(Call(principals.IamUser(callerUserName), "iam.amazonaws.com", "CreateLoginProfile", readOnly: false) with
        {
            RequestParameters = w =>
            {
                w.WriteString("userName", targetUserName);
                w.WriteBoolean("passwordResetRequired", false);
            },
            ResponseElements = w =>
            {
                w.WriteStartObject("loginProfile");
                w.WriteString("userName", targetUserName);
                w.WriteString("createDate", created);
                w.WriteBoolean("passwordResetRequired", false);
                w.WriteEndObject();
            },
        });
    }

    /// <summary>GuardDuty <c>DeleteDetector</c>: defence evasion, no CIS rule.</summary>
    public string GuardDutyDeleteDetector()
    {
        var detector = random.Hex(32);
        return Render(Call(principals.AssumedRole(), "guardduty.amazonaws.com", "DeleteDetector", readOnly: false) with
        {
            RequestParameters = w => w.WriteString("detectorId", detector),
        });
    }

    /// <summary>Security Hub <c>DisableSecurityHub</c>: defence evasion, no CIS rule.</summary>
    public string DisableSecurityHub()
    {
        return Render(Call(principals.AssumedRole(), "securityhub.amazonaws.com", "DisableSecurityHub", readOnly: false) with
        {
            RequestParameters = null,
        });
    }

    private EventSpec TrailCall(string eventName, Action<Utf8JsonWriter> parameters, bool writesTrail, bool logFileValidation)
    {
        var trailArn = $"arn:aws:cloudtrail:{Region}:{AccountId}:trail/{TrailName}";
        return Call(principals.AssumedRole("PlatformOpsRole"), "cloudtrail.amazonaws.com", eventName, readOnly: false) with
        {
            RequestParameters = parameters,
            ResponseElements = writesTrail
                ? w =>
                {
                    w.WriteString("name", TrailName);
                    w.WriteString("s3BucketName", $"cloudtrail-logs-{AccountId}");
                    w.WriteBoolean("includeGlobalServiceEvents", true);
                    w.WriteBoolean("isMultiRegionTrail", true);
                    w.WriteString("trailARN", trailArn);
                    w.WriteBoolean("logFileValidationEnabled", logFileValidation);
                    w.WriteBoolean("isOrganizationTrail", false);
                }
                : null,
            Resources = [new ResourceReference(trailArn, AccountId, "AWS::CloudTrail::Trail")],
        };
    }

    private void WriteTrailSettings(Utf8JsonWriter w, bool logFileValidation)
    {
        w.WriteString("name", TrailName);
        w.WriteString("s3BucketName", $"cloudtrail-logs-{AccountId}");
        w.WriteBoolean("includeGlobalServiceEvents", true);
        w.WriteBoolean("isMultiRegionTrail", true);
        w.WriteBoolean("enableLogFileValidation", logFileValidation);
    }

    private EventSpec BucketCall(string eventName, string bucket, Action<Utf8JsonWriter> parameters)
    {
        var host = $"{bucket}.s3.{Region}.amazonaws.com";
        var amzId = random.Alphanumeric(76);
        return Call(principals.AssumedRole(), "s3.amazonaws.com", eventName, readOnly: false) with
        {
            RequestParameters = w =>
            {
                w.WriteString("bucketName", bucket);
                w.WriteString("Host", host);
                parameters(w);
            },
            AdditionalEventData = w =>
            {
                w.WriteString("SignatureVersion", "SigV4");
                w.WriteString("CipherSuite", "TLS_AES_128_GCM_SHA256");
                w.WriteNumber("bytesTransferredIn", 0);
                w.WriteString("AuthenticationMethod", "AuthHeader");
                w.WriteString("x-amz-id-2", amzId);
                w.WriteNumber("bytesTransferredOut", 0);
            },
            Resources = [new ResourceReference($"arn:aws:s3:::{bucket}", AccountId, "AWS::S3::Bucket")],
            TlsHost = host,
        };
    }

    /// <summary>CloudTrail renders the bucket policy as a JSON object under <c>bucketPolicy</c>, not as a string.</summary>
    private static void WriteBucketPolicy(Utf8JsonWriter w, string bucket, string? principalKind, string principal)
    {
        w.WriteStartObject("bucketPolicy");
        w.WriteString("Version", "2012-10-17");
        w.WriteStartArray("Statement");
        w.WriteStartObject();
        w.WriteString("Sid", principalKind is null ? "PublicRead" : "PipelineRead");
        w.WriteString("Effect", "Allow");
        if (principalKind is null)
        {
            w.WriteString("Principal", principal);
        }
        else
        {
            w.WriteStartObject("Principal");
            w.WriteString(principalKind, principal);
            w.WriteEndObject();
        }

        w.WriteString("Action", "s3:GetObject");
        w.WriteString("Resource", $"arn:aws:s3:::{bucket}/*");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>IAM and STS responses use a human date format rather than ISO-8601.</summary>
    private string IamDate() => CloudTrailIamDate(BaseTime.AddSeconds(random.Next(windowSeconds)));

    private static string CloudTrailIamDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("MMM d, yyyy, h:mm:ss tt", CultureInfo.InvariantCulture);

    private static void RequireOneOf(string eventName, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (!allowed.Contains(eventName))
        {
            throw new ArgumentOutOfRangeException(nameof(eventName), eventName, $"Expected one of: {string.Join(", ", allowed)}.");
        }
    }
}
