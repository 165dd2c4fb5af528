using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.SampleTrail;

/// <summary>Every kind of record the factory makes, by a readable name, so theories can cover them all.</summary>
internal static class RecordBuilders
{
    public static readonly DateTimeOffset BaseTime = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyDictionary<string, Func<CloudTrailEventFactory, string>> All = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static Dictionary<string, Func<CloudTrailEventFactory, string>> Build()
    {
        var builders = new Dictionary<string, Func<CloudTrailEventFactory, string>>(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<CallerKind>())
        {
            builders[$"CallBy {kind}"] = f => f.CallBy(kind);
        }

        builders["ConsoleLogin IAM user with MFA"] = f => f.ConsoleLogin(SignInCaller.IamUser, mfaUsed: true, succeeded: true);
        builders["ConsoleLogin IAM user without MFA"] = f => f.ConsoleLogin(SignInCaller.IamUser, mfaUsed: false, succeeded: true);
        builders["ConsoleLogin IAM user failed"] = f => f.ConsoleLogin(SignInCaller.IamUser, mfaUsed: false, succeeded: false);
        builders["ConsoleLogin root"] = f => f.ConsoleLogin(SignInCaller.Root, mfaUsed: false, succeeded: true);
        builders["ConsoleLogin federated"] = f => f.ConsoleLogin(SignInCaller.FederatedUser, mfaUsed: false, succeeded: true);
        builders["ConsoleLogin unknown user"] = f => f.UnknownUserConsoleLoginFailure();
        builders["Root API call"] = f => f.RootApiCall();
        builders["Root invoked by service"] = f => f.RootCallInvokedByService();
        builders["Root service event"] = f => f.RootServiceEvent();
        builders["Unauthorized EC2"] = f => f.UnauthorizedEc2Call();
        builders["AccessDenied S3"] = f => f.AccessDeniedS3Call();
        builders["AccessDeniedException"] = f => f.AccessDeniedExceptionCall();
        builders["HeadBucket denied to log delivery"] = f => f.LogDeliveryHeadBucketDenied();
        builders["Throttled"] = f => f.ThrottledCall();
        builders["NoSuchEntity"] = f => f.MissingIamEntityLookup();
        builders["NoSuchBucketPolicy"] = f => f.MissingBucketPolicyLookup();
        builders["Management read"] = f => f.ManagementRead();
        builders["S3 GetObject"] = f => f.S3ObjectDataEvent("GetObject");
        builders["S3 PutObject"] = f => f.S3ObjectDataEvent("PutObject");
        builders["Lambda Invoke"] = f => f.LambdaInvoke();
        builders["KMS Decrypt by service"] = f => f.KmsDecryptByService();
        builders["Service AssumeRole"] = f => f.ServiceAssumeRole();
        builders["Authorize ingress"] = f => f.AuthorizeSecurityGroupIngress("sg-0123456789abcdef0", SecurityGroupPermission.Tcp(22, "0.0.0.0/0", "::/0"));
        builders["Authorize egress"] = f => f.AuthorizeSecurityGroupEgress("sg-0123456789abcdef0", SecurityGroupPermission.AllTraffic("0.0.0.0/0"));
        builders["Revoke ingress"] = f => f.RevokeSecurityGroupIngress("sg-0123456789abcdef0", SecurityGroupPermission.Tcp(22, "0.0.0.0/0"));
        builders["Revoke egress"] = f => f.RevokeSecurityGroupEgress("sg-0123456789abcdef0", SecurityGroupPermission.Tcp(22, "0.0.0.0/0"));
        builders["Failed authorize"] = f => f.FailedAuthorizeSecurityGroupIngress("sg-0123456789abcdef0", SecurityGroupPermission.Tcp(22, "0.0.0.0/0"));
        builders["Modify security group rules"] = f => f.ModifySecurityGroupRules("sg-0123456789abcdef0", "sgr-0123456789abcdef0", SecurityGroupPermission.Tcp(3389, "0.0.0.0/0"));
        builders["Attach AdministratorAccess"] = f => f.AttachAdministratorAccessToUser("bob");
        builders["Put admin inline policy"] = f => f.PutAdministratorInlineUserPolicy("bob");
        builders["CreateAccessKey for another user"] = f => f.CreateAccessKeyForAnotherUser("alice", "bob");
        builders["CreateLoginProfile"] = f => f.CreateLoginProfile("alice", "bob");
        builders["Public bucket policy"] = f => f.PublicBucketPolicy("acme-invoices");
        builders["Public-read bucket ACL"] = f => f.PublicReadBucketAcl("acme-invoices");
        builders["GuardDuty DeleteDetector"] = f => f.GuardDutyDeleteDetector();
        builders["DisableSecurityHub"] = f => f.DisableSecurityHub();
        builders["Disable log file validation"] = f => f.DisableLogFileValidation();
        foreach (var name in CisWatchedEvents.IamPolicyChanges)
        {
            builders[$"IAM {name}"] = f => f.IamPolicyChange(name);
        }

        foreach (var name in CisWatchedEvents.CloudTrailChanges)
        {
            builders[$"CloudTrail {name}"] = f => f.CloudTrailChange(name);
        }

        foreach (var name in CisWatchedEvents.KmsKeyChanges)
        {
            builders[$"KMS {name}"] = f => f.KmsKeyChange(name);
        }

        foreach (var name in CisWatchedEvents.S3BucketPolicyChanges)
        {
            builders[$"S3 {name}"] = f => f.S3BucketPolicyChange(name);
        }

        foreach (var name in CisWatchedEvents.ConfigChanges)
        {
            builders[$"Config {name}"] = f => f.ConfigChange(name);
        }

        foreach (var name in CisWatchedEvents.Ec2NetworkChanges)
        {
            builders[$"EC2 {name}"] = f => f.Ec2NetworkChange(name);
        }

        foreach (var name in CisWatchedEvents.OrganizationsChanges)
        {
            builders[$"Organizations {name}"] = f => f.OrganizationsChange(name);
        }

        return builders;
    }
}
