namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    /// <summary>An API call signed with root credentials and no <c>invokedBy</c>: triggers CIS-4.3.</summary>
    public string RootApiCall()
    {
        var root = principals.Root() with { AccessKeyId = "ASIA" + random.UpperAlphanumeric(16) };
        return Render(Call(root, "ec2.amazonaws.com", "DescribeInstances", readOnly: true) with
        {
            UserAgent = BrowserUserAgent,
            RequestParameters = w =>
            {
                w.WriteEmptyObject("instancesSet");
                w.WriteEmptyObject("filterSet");
            },
        });
    }

    /// <summary>A call an AWS service made for the root user (<c>invokedBy</c> set): must not trigger CIS-4.3.</summary>
    public string RootCallInvokedByService()
    {
        return Render(ServiceCall(principals.RootInvokedBy("AWS Internal"), "AWS Internal", "s3.amazonaws.com", "ListBuckets", readOnly: true) with
        {
            RequestParameters = w => w.WriteString("Host", "s3.amazonaws.com"),
        });
    }

    /// <summary>
    /// An <c>AwsServiceEvent</c> with a Root identity (sign-in's password <c>CredentialVerification</c>): must not
    /// trigger CIS-4.3.
    /// </summary>
    public string RootServiceEvent()
    {
        return Render(Call(principals.Root(), "signin.amazonaws.com", "CredentialVerification", readOnly: false) with
        {
            UserAgent = BrowserUserAgent,
            EventType = "AwsServiceEvent",
            ServiceEventDetails = w => w.WriteString("CredentialType", "PASSWORD"),
            HasRequestId = false,
            TlsHost = null,
        });
    }

    /// <summary>EC2 <c>RunInstances</c> refused with <c>Client.UnauthorizedOperation</c>: triggers CIS-4.1.</summary>
    public string UnauthorizedEc2Call()
    {
        var caller = principals.AssumedRole();
        var encoded = random.Alphanumeric(300);
        var image = "ami-0" + random.Hex(16);
        return Render(Call(caller, "ec2.amazonaws.com", "RunInstances", readOnly: false) with
        {
            ErrorCode = "Client.UnauthorizedOperation",
            ErrorMessage = $"You are not authorized to perform this operation. User: {caller.Arn} is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:{Region}:{AccountId}:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: {encoded}",
            RequestParameters = w =>
            {
                w.WriteStartObject("instancesSet");
                w.WriteStartArray("items");
                w.WriteStartObject();
                w.WriteString("imageId", image);
                w.WriteNumber("minCount", 1);
                w.WriteNumber("maxCount", 1);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteString("instanceType", "c6i.8xlarge");
                w.WriteEmptyObject("blockDeviceMapping");
                w.WriteBoolean("disableApiTermination", false);
            },
        });
    }

    /// <summary>S3 <c>GetBucketPolicy</c> refused with <c>AccessDenied</c>: triggers CIS-4.1.</summary>
    public string AccessDeniedS3Call()
    {
        var bucket = random.Pick(BucketNames);
        return Render(Call(principals.IamUser(), "s3.amazonaws.com", "GetBucketPolicy", readOnly: true) with
        {
            ErrorCode = "AccessDenied",
            ErrorMessage = "Access Denied",
            RequestParameters = w =>
            {
                w.WriteString("bucketName", bucket);
                w.WriteString("Host", $"{bucket}.s3.{Region}.amazonaws.com");
                w.WriteString("policy", "");
            },
            TlsHost = $"{bucket}.s3.{Region}.amazonaws.com",
        });
    }

    /// <summary>Secrets Manager <c>GetSecretValue</c> refused with <c>AccessDeniedException</c>: triggers CIS-4.1.</summary>
    public string AccessDeniedExceptionCall()
    {
        var caller = principals.AssumedRole();
        var secret = $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:prod/orders/database-{random.Alphanumeric(6)}";
        return Render(Call(caller, "secretsmanager.amazonaws.com", "GetSecretValue", readOnly: true) with
        {
            ErrorCode = "AccessDeniedException",
            ErrorMessage = $"User: {caller.Arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: {secret} because no identity-based policy allows the secretsmanager:GetSecretValue action",
            RequestParameters = w => w.WriteString("secretId", secret),
        });
    }

    /// <summary>
    /// The log-delivery service probing a bucket with <c>HeadBucket</c> and getting <c>AccessDenied</c>: CIS v3.0.0
    /// excludes it from CIS-4.1.
    /// </summary>
    public string LogDeliveryHeadBucketDenied()
    {
        var bucket = random.Pick(BucketNames) + "-logs";
        return Render(ServiceCall(SampleAccountPrincipals.AwsService("delivery.logs.amazonaws.com"), "delivery.logs.amazonaws.com", "s3.amazonaws.com", "HeadBucket", readOnly: true) with
        {
            ErrorCode = "AccessDenied",
            ErrorMessage = "Access Denied",
            RequestParameters = w =>
            {
                w.WriteString("bucketName", bucket);
                w.WriteString("Host", $"{bucket}.s3.{Region}.amazonaws.com");
            },
        });
    }

    /// <summary>CloudFormation <c>DescribeStacks</c> throttled (<c>ThrottlingException</c>): a harmless error.</summary>
    public string ThrottledCall()
    {
        var stack = random.Pick(StackNames);
        return Render(Call(principals.AssumedRole("DeployRole"), "cloudformation.amazonaws.com", "DescribeStacks", readOnly: true) with
        {
            ErrorCode = "ThrottlingException",
            ErrorMessage = "Rate exceeded",
            RequestParameters = w => w.WriteString("stackName", stack),
        });
    }

    /// <summary>IAM <c>GetUser</c> for a user that does not exist (<c>NoSuchEntity</c>): a harmless error.</summary>
    public string MissingIamEntityLookup()
    {
        var name = "former-employee-" + random.Next(10, 99);
        return Render(Call(principals.AssumedRole("ReadOnlyAuditRole"), "iam.amazonaws.com", "GetUser", readOnly: true) with
        {
            ErrorCode = "NoSuchEntity",
            ErrorMessage = $"The user with name {name} cannot be found.",
            RequestParameters = w => w.WriteString("userName", name),
        });
    }

    /// <summary>S3 <c>GetBucketPolicy</c> on a bucket without one (<c>NoSuchBucketPolicy</c>): a harmless error.</summary>
    public string MissingBucketPolicyLookup()
    {
        var bucket = random.Pick(BucketNames);
        return Render(Call(principals.AssumedRole("ReadOnlyAuditRole"), "s3.amazonaws.com", "GetBucketPolicy", readOnly: true) with
        {
            ErrorCode = "NoSuchBucketPolicy",
            ErrorMessage = "The bucket policy does not exist",
            RequestParameters = w =>
            {
                w.WriteString("bucketName", bucket);
                w.WriteString("Host", $"{bucket}.s3.{Region}.amazonaws.com");
                w.WriteString("policy", "");
            },
            TlsHost = $"{bucket}.s3.{Region}.amazonaws.com",
        });
    }
}
