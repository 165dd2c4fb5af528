namespace TrailResponder.SampleTrail;

/// <summary>The people, roles and services of one sample account, with ids that stay the same for the same name.</summary>
internal sealed class SampleAccountPrincipals(string accountId, DeterministicRandom random)
{
    public const string OtherAccountId = "444455556666";

    private static readonly string[] Users = ["alice", "bob", "carol", "ci-deployer", "backup-operator", "terraform"];
    private static readonly string[] Roles = ["DeployRole", "DataPipelineRole", "ReadOnlyAuditRole", "PlatformOpsRole"];
    private static readonly string[] PermissionSets = ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess"];
    private static readonly string[] People = ["dana.kim@example.com", "erik.svensson@example.com", "fatima.rahman@example.com"];
    private static readonly string[] InstanceRoles = ["web-tier-instance-role", "batch-worker-instance-role"];

    public string AccountId => accountId;

    public string AnyUserName() => random.Pick(Users);

    public CallerIdentity Root() => new()
    {
        Type = "Root",
        PrincipalId = accountId,
        Arn = $"arn:aws:iam::{accountId}:root",
        AccountId = accountId,
        AccessKeyId = "",
    };

    public CallerIdentity RootInvokedBy(string service) => Root() with { InvokedBy = service, AccessKeyId = null };

    public CallerIdentity IamUser(string? userName = null, bool console = false)
    {
        var name = userName ?? AnyUserName();
        return new CallerIdentity
        {
            Type = "IAMUser",
            PrincipalId = StableId("AIDA", name),
            Arn = $"arn:aws:iam::{accountId}:user/{name}",
            AccountId = accountId,
            AccessKeyId = console ? "ASIA" + random.UpperAlphanumeric(16) : StableId("AKIA", name, 20),
            UserName = name,
            Session = console ? new SessionContext { Age = Age(), MfaAuthenticated = random.Chance(70) } : null,
        };
    }

    public CallerIdentity AssumedRole(string? roleName = null, string? sessionName = null)
    {
        var role = roleName ?? random.Pick(Roles);
        var session = sessionName ?? $"{role.ToLowerInvariant()}-{random.Next(1_000_000_000, int.MaxValue)}";
        return RoleSession(role, $"arn:aws:iam::{accountId}:role/{role}", session, mfa: false);
    }

    public CallerIdentity SsoPermissionSetRole()
    {
        var permissionSet = random.Pick(PermissionSets);
        var role = $"AWSReservedSSO_{permissionSet}_{StableHash(permissionSet):x16}";
        var arn = $"arn:aws:iam::{accountId}:role/aws-reserved/sso.amazonaws.com/{role}";
        return RoleSession(role, arn, random.Pick(People), mfa: false);
    }

    public CallerIdentity Ec2InstanceRole()
    {
        var role = random.Pick(InstanceRoles);
        var instance = "i-0" + random.Hex(16);
        var identity = RoleSession(role, $"arn:aws:iam::{accountId}:role/{role}", instance, mfa: false);
        return identity with { Session = identity.Session! with { Ec2RoleDelivery = "2.0" } };
    }

    public CallerIdentity FederatedUser()
    {
        var issuer = random.Pick(Users);
        var name = "contractor-" + random.Next(10, 99);
        return new CallerIdentity
        {
            Type = "FederatedUser",
            PrincipalId = $"{accountId}:{name}",
            Arn = $"arn:aws:sts::{accountId}:federated-user/{name}",
            AccountId = accountId,
            AccessKeyId = "ASIA" + random.UpperAlphanumeric(16),
            Session = new SessionContext
            {
                Issuer = new SessionIssuer("IAMUser", StableId("AIDA", issuer), $"arn:aws:iam::{accountId}:user/{issuer}", accountId, issuer),
                Age = Age(),
            },
        };
    }

    public CallerIdentity SamlUser()
    {
        var person = random.Pick(People);
        return new CallerIdentity
        {
            Type = "SAMLUser",
            PrincipalId = $"{StableId("", "saml", 27)}=:{person}",
            UserName = person,
            IdentityProvider = $"{StableId("", "idp", 27)}=",
        };
    }

    public CallerIdentity WebIdentityUser() => new()
    {
        Type = "WebIdentityUser",
        PrincipalId = $"accounts.google.com:{random.Next(100_000_000, 999_999_999)}.apps.googleusercontent.com:{random.Next(100_000_000, 999_999_999)}{random.Next(100_000_000, 999_999_999)}",
        UserName = $"{random.Next(100_000_000, 999_999_999)}{random.Next(100_000_000, 999_999_999)}",
        IdentityProvider = "accounts.google.com",
    };

    public CallerIdentity AwsAccount() => new()
    {
        Type = "AWSAccount",
        PrincipalId = StableId("AIDA", "partner-account-user"),
        AccountId = OtherAccountId,
    };

    public static CallerIdentity AwsService(string servicePrincipal) => new()
    {
        Type = "AWSService",
        InvokedBy = servicePrincipal,
    };

    public CallerIdentity IdentityCenterUser() => new()
    {
        Type = "IdentityCenterUser",
        AccountId = accountId,
        OnBehalfOfUserId = $"{random.Hex(8)}-{random.Hex(4)}-{random.Hex(4)}-{random.Hex(4)}-{random.Hex(12)}",
        IdentityStoreArn = $"arn:aws:identitystore::{accountId}:identitystore/d-{random.Hex(10)}",
        CredentialId = random.UpperAlphanumeric(40),
    };

    private CallerIdentity RoleSession(string role, string roleArn, string session, bool mfa)
    {
        var roleId = StableId("AROA", role);
        return new CallerIdentity
        {
            Type = "AssumedRole",
            PrincipalId = $"{roleId}:{session}",
            Arn = $"arn:aws:sts::{accountId}:assumed-role/{role}/{session}",
            AccountId = accountId,
            AccessKeyId = "ASIA" + random.UpperAlphanumeric(16),
            Session = new SessionContext
            {
                Issuer = new SessionIssuer("Role", roleId, roleArn, accountId, role),
                Age = Age(),
                MfaAuthenticated = mfa,
            },
        };
    }

    private TimeSpan Age() => TimeSpan.FromSeconds(random.Next(30, 3 * 3600));

    /// <summary>
    /// IAM unique ids are fixed per principal; deriving them from the name (not the Random) keeps them equal across
    /// files and seeds, as a real account's would be.
    /// </summary>
    private static string StableId(string prefix, string name, int length = 21)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = StableHash(name);
        var id = new char[length - prefix.Length];
        for (var i = 0; i < id.Length; i++)
        {
            hash = (hash ^ (ulong)i) * 1099511628211UL;
            id[i] = alphabet[(int)(hash >> 59)];
        }

        return prefix + new string(id);
    }

    /// <summary>FNV-1a: unlike <see cref="string.GetHashCode()"/> it is the same in every process.</summary>
    private static ulong StableHash(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
