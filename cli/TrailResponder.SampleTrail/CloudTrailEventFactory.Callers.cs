using System.Text.Json;

namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    private const string BrowserUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    private static readonly string[] ToolUserAgents =
    [
        "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.79-99.167.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off",
        "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
        "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64",
        "aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
        "aws-sdk-dotnet-coreclr/3.7.300.52 ua/2.0 os/linux#6.1 md/arch#x64 lang/.NET_Core#8.0.3 md/aws-sdk-dotnet-core#3.7.303.1 api/EC2#3.7.330.0",
    ];

    private static readonly string[] AssumingServices =
    [
        "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "config.amazonaws.com", "states.amazonaws.com",
    ];

    /// <summary>
    /// A typical call by the given kind of caller. Most are benign reads; <see cref="CallerKind.Root"/> is a root API
    /// call (CIS-4.3) and the SAML, web-identity, other-account and service kinds are the STS calls that identity
    /// type appears on.
    /// </summary>
    public string CallBy(CallerKind caller) => caller switch
    {
        CallerKind.Root => RootApiCall(),
        CallerKind.IamUser => Render(ManagementReadSpec(principals.IamUser())),
        CallerKind.AssumedRole => Render(ManagementReadSpec(principals.AssumedRole())),
        CallerKind.SsoPermissionSetRole => Render(ManagementReadSpec(principals.SsoPermissionSetRole()) with { UserAgent = BrowserUserAgent }),
        CallerKind.Ec2InstanceRole => Ec2InstanceRoleCall(),
        CallerKind.FederatedUser => Render(Call(principals.FederatedUser(), "ec2.amazonaws.com", "DescribeRegions", readOnly: true) with
        {
            RequestParameters = w => w.WriteEmptyObject("regionSet"),
        }),
        CallerKind.SamlUser => AssumeRoleWithSaml(),
        CallerKind.WebIdentityUser => AssumeRoleWithWebIdentity(),
        CallerKind.AwsAccount => CrossAccountAssumeRole(),
        CallerKind.AwsService => ServiceAssumeRole(),
        CallerKind.IdentityCenterUser => IdentityCenterUserCall(),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown caller kind."),
    };

    /// <summary>An AWS service assuming its role in this account (<c>sts:AssumeRole</c> by <c>AWSService</c>): benign.</summary>
    public string ServiceAssumeRole(string? servicePrincipal = null)
    {
        var service = servicePrincipal ?? random.Pick(AssumingServices);
        var role = service.Split('.')[0] switch
        {
            "lambda" => "order-processor-execution-role",
            "ecs-tasks" => "checkout-task-role",
            "config" => "AWSServiceRoleForConfig",
            "states" => "nightly-export-state-machine-role",
            _ => "web-tier-instance-role",
        };
        var session = service == "ec2.amazonaws.com" ? "i-0" + random.Hex(16) : random.Hex(32);
        return Render(AssumeRoleSpec(SampleAccountPrincipals.AwsService(service), role, session, "AssumeRole") with
        {
            SourceIpAddress = service,
            UserAgent = service,
            TlsHost = null,
        });
    }

    private string CrossAccountAssumeRole()
    {
        return Render(AssumeRoleSpec(principals.AwsAccount(), "ReadOnlyAuditRole", "partner-audit-" + random.Next(1000, 9999), "AssumeRole"));
    }

    private string AssumeRoleWithSaml()
    {
        var caller = principals.SamlUser();
        return Render(AssumeRoleSpec(caller, "AWSReservedSSO_ReadOnlyAccess_" + random.Hex(16), caller.UserName!, "AssumeRoleWithSAML") with
        {
            UserAgent = BrowserUserAgent,
        });
    }

    private string AssumeRoleWithWebIdentity()
    {
        var caller = principals.WebIdentityUser();
        return Render(AssumeRoleSpec(caller, "mobile-app-web-identity-role", "app-session-" + random.Next(100000, 999999), "AssumeRoleWithWebIdentity"));
    }

    private EventSpec AssumeRoleSpec(CallerIdentity caller, string role, string session, string eventName)
    {
        var roleArn = $"arn:aws:iam::{AccountId}:role/{role}";
        var roleId = "AROA" + random.UpperAlphanumeric(17);
        var accessKey = "ASIA" + random.UpperAlphanumeric(16);
        var expiration = BaseTime.AddSeconds(windowSeconds).AddHours(1);
        return Call(caller, "sts.amazonaws.com", eventName, readOnly: true) with
        {
            RequestParameters = w =>
            {
                w.WriteString("roleArn", roleArn);
                w.WriteString("roleSessionName", session);
                w.WriteNumber("durationSeconds", 3600);
                if (eventName == "AssumeRoleWithSAML")
                {
                    w.WriteString("principalArn", $"arn:aws:iam::{AccountId}:saml-provider/AWSSSO_{random.Hex(16)}_DO_NOT_DELETE");
                }
            },
            ResponseElements = w =>
            {
                w.WriteStartObject("credentials");
                w.WriteString("accessKeyId", accessKey);
                w.WriteString("sessionToken", random.Alphanumeric(120));
                w.WriteString("expiration", expiration.UtcDateTime.ToString("MMM d, yyyy, h:mm:ss tt", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteStartObject("assumedRoleUser");
                w.WriteString("assumedRoleId", $"{roleId}:{session}");
                w.WriteString("arn", $"arn:aws:sts::{AccountId}:assumed-role/{role}/{session}");
                w.WriteEndObject();
            },
            Resources =
            [
                new ResourceReference($"arn:aws:iam::{AccountId}:role/{role}", AccountId, "AWS::IAM::Role"),
            ],
        };
    }

    private string Ec2InstanceRoleCall()
    {
        var caller = principals.Ec2InstanceRole();
        var arn = caller.Arn!;
        var instance = arn[(arn.LastIndexOf('/') + 1)..];
        var (subnet, host) = (random.Next(0, 255), random.Next(1, 255));
        return Render(Call(caller, "ssm.amazonaws.com", "UpdateInstanceInformation", readOnly: false) with
        {
            UserAgent = "aws-sdk-go/1.44.302 (go1.21.5; linux; amd64) amazon-ssm-agent/3.3.40.0",
            RequestParameters = w =>
            {
                w.WriteString("instanceId", instance);
                w.WriteString("agentVersion", "3.3.40.0");
                w.WriteString("agentStatus", "Active");
                w.WriteString("platformType", "Linux");
                w.WriteString("platformName", "Amazon Linux");
                w.WriteString("platformVersion", "2023");
                w.WriteString("iPAddress", $"10.0.{subnet}.{host}");
                w.WriteString("computerName", $"ip-10-0-{subnet}-{host}.ec2.internal");
                w.WriteString("agentName", "amazon-ssm-agent");
            },
        });
    }

    private string IdentityCenterUserCall()
    {
        return Render(Call(principals.IdentityCenterUser(), "sso.amazonaws.com", "ListAccountRoles", readOnly: true) with
        {
            UserAgent = BrowserUserAgent,
            RequestParameters = w =>
            {
                w.WriteString("accountId", AccountId);
                w.WriteString("accessToken", "HIDDEN_DUE_TO_SECURITY_REASONS");
            },
            EventVersion = "1.10",
        });
    }

    /// <summary>A call by a person or tool from the internet, with the envelope fields filled in.</summary>
    private EventSpec Call(CallerIdentity caller, string eventSource, string eventName, bool readOnly)
    {
        var region = IsGlobalService(eventSource) ? GlobalServiceRegion : Region;
        return new EventSpec
        {
            Caller = caller,
            EventSource = eventSource,
            EventName = eventName,
            Region = region,
            SourceIpAddress = random.PublicIpv4(),
            UserAgent = random.Pick(ToolUserAgents),
            ReadOnly = readOnly,
            TlsHost = HostFor(eventSource, region),

            // S3 request ids are 16 upper-case characters, not UUIDs.
            RequestId = eventSource == "s3.amazonaws.com" ? random.UpperAlphanumeric(16) : null,
        };
    }

    /// <summary>A call an AWS service makes itself: its name stands in for the address and agent, and there is no TLS detail.</summary>
    private EventSpec ServiceCall(CallerIdentity caller, string servicePrincipal, string eventSource, string eventName, bool readOnly)
    {
        return Call(caller, eventSource, eventName, readOnly) with
        {
            SourceIpAddress = servicePrincipal,
            UserAgent = servicePrincipal,
            TlsHost = null,
        };
    }

    private static bool IsGlobalService(string eventSource) => eventSource is
        "iam.amazonaws.com" or "sts.amazonaws.com" or "signin.amazonaws.com" or "organizations.amazonaws.com";

    private static string HostFor(string eventSource, string region)
    {
        var service = eventSource[..eventSource.IndexOf('.', StringComparison.Ordinal)];
        return service switch
        {
            "iam" or "sts" => eventSource,
            "signin" => "signin.aws.amazon.com",
            _ => $"{service}.{region}.amazonaws.com",
        };
    }
}
