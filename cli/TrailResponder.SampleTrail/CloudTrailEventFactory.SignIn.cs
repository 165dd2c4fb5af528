namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    /// <summary>
    /// A <c>ConsoleLogin</c>. Failures carry <c>errorMessage</c> "Failed authentication". Triggers CIS-4.2 when MFA was
    /// not used, CIS-4.6 when it failed, CIS-4.3 for root.
    /// </summary>
    public string ConsoleLogin(SignInCaller caller, bool mfaUsed, bool succeeded)
    {
        var identity = caller switch
        {
            SignInCaller.Root => principals.Root(),
            SignInCaller.FederatedUser => principals.SsoPermissionSetRole() with { AccessKeyId = null },
            _ => principals.IamUser() with { AccessKeyId = "" },
        };
        var mfaDevice = caller == SignInCaller.Root
            ? $"arn:aws:iam::{AccountId}:mfa/root-account-mfa-device"
            : $"arn:aws:iam::{AccountId}:mfa/{identity.UserName ?? "device"}";
        return Render(SignInSpec(identity, mfaUsed, succeeded ? null : "Failed authentication", mfaDevice));
    }

    /// <summary>
    /// A failed <c>ConsoleLogin</c> with a user name the account does not have: CloudTrail hides the name
    /// (<c>HIDDEN_DUE_TO_SECURITY_REASONS</c>), omits the ARN and reports "No username found in supplied account",
    /// so only CIS-4.2 matches, not CIS-4.6.
    /// </summary>
    public string UnknownUserConsoleLoginFailure()
    {
        var identity = new CallerIdentity
        {
            Type = "IAMUser",
            AccountId = AccountId,
            AccessKeyId = "",
            UserName = "HIDDEN_DUE_TO_SECURITY_REASONS",
        };
        return Render(SignInSpec(identity, mfaUsed: false, "No username found in supplied account", mfaDevice: null));
    }

    private EventSpec SignInSpec(CallerIdentity identity, bool mfaUsed, string? errorMessage, string? mfaDevice)
    {
        var failed = errorMessage is not null;
        return Call(identity, "signin.amazonaws.com", "ConsoleLogin", readOnly: false) with
        {
            UserAgent = BrowserUserAgent,
            EventType = "AwsConsoleSignIn",
            ErrorMessage = errorMessage,
            ResponseElements = w => w.WriteString("ConsoleLogin", failed ? "Failure" : "Success"),
            AdditionalEventData = w =>
            {
                w.WriteString("LoginTo", "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_" + random.Hex(16));
                w.WriteString("MobileVersion", "No");
                w.WriteString("MFAUsed", mfaUsed ? "Yes" : "No");
                if (mfaUsed && mfaDevice is not null)
                {
                    w.WriteString("MFAIdentifier", mfaDevice);
                }
            },
            HasRequestId = false,
        };
    }
}
