using System.Text.Json;

namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    /// <summary>
    /// An EC2 network change named by <paramref name="eventName"/> (one of <see cref="CisWatchedEvents.Ec2NetworkChanges"/>):
    /// security groups trigger CIS-4.10, NACLs CIS-4.11, gateways CIS-4.12, route tables CIS-4.13, VPCs CIS-4.14.
    /// Rule changes get a default permission (HTTPS from 10.0.0.0/8); use the security-group methods to choose one.
    /// </summary>
    public string Ec2NetworkChange(string eventName)
    {
        RequireOneOf(eventName, [.. CisWatchedEvents.Ec2NetworkChanges]);
        var groupId = "sg-0" + random.Hex(16);
        var permission = SecurityGroupPermission.Tcp(443, "10.0.0.0/8") with { Description = "internal https" };
        switch (eventName)
        {
            case "AuthorizeSecurityGroupIngress":
                return AuthorizeSecurityGroupIngress(groupId, permission);
            case "AuthorizeSecurityGroupEgress":
                return AuthorizeSecurityGroupEgress(groupId, permission);
            case "RevokeSecurityGroupIngress":
                return RevokeSecurityGroupIngress(groupId, permission);
            case "RevokeSecurityGroupEgress":
                return RevokeSecurityGroupEgress(groupId, permission);
        }

        var requestId = random.Uuid();
        var ids = new NetworkIds(
            Vpc: "vpc-0" + random.Hex(16),
            Group: groupId,
            Acl: "acl-0" + random.Hex(16),
            Gateway: "igw-0" + random.Hex(16),
            CustomerGateway: "cgw-0" + random.Hex(16),
            RouteTable: "rtb-0" + random.Hex(16),
            Association: random.Hex(16),
            Peering: "pcx-0" + random.Hex(16),
            Instance: "i-0" + random.Hex(16),
            PublicIp: random.PublicIpv4());
        return Render(Call(principals.AssumedRole("DeployRole"), "ec2.amazonaws.com", eventName, readOnly: false) with
        {
            RequestId = requestId,
            RequestParameters = w => WriteNetworkRequest(w, eventName, ids),
            ResponseElements = w =>
            {
                w.WriteString("requestId", requestId);
                WriteNetworkResponse(w, eventName, ids);
            },
        });
    }

    private void WriteNetworkRequest(Utf8JsonWriter w, string eventName, NetworkIds ids)
    {
        switch (eventName)
        {
            case "CreateSecurityGroup":
                w.WriteString("groupName", "batch-workers");
                w.WriteString("groupDescription", "Batch worker nodes");
                w.WriteString("vpcId", ids.Vpc);
                break;
            case "DeleteSecurityGroup":
                w.WriteString("groupId", ids.Group);
                break;
            case "CreateNetworkAcl":
                w.WriteString("vpcId", ids.Vpc);
                break;
            case "CreateNetworkAclEntry" or "ReplaceNetworkAclEntry":
                w.WriteString("networkAclId", ids.Acl);
                w.WriteNumber("ruleNumber", 100);
                w.WriteBoolean("egress", false);
                w.WriteString("ruleAction", "allow");
                w.WriteEmptyObject("icmpTypeCode");
                w.WriteString("protocol", "6");
                w.WriteStartObject("portRange");
                w.WriteNumber("from", 22);
                w.WriteNumber("to", 22);
                w.WriteEndObject();
                w.WriteString("cidrBlock", "0.0.0.0/0");
                break;
            case "DeleteNetworkAcl":
                w.WriteString("networkAclId", ids.Acl);
                break;
            case "DeleteNetworkAclEntry":
                w.WriteString("networkAclId", ids.Acl);
                w.WriteNumber("ruleNumber", 100);
                w.WriteBoolean("egress", false);
                break;
            case "ReplaceNetworkAclAssociation":
                w.WriteString("associationId", "aclassoc-0" + ids.Association);
                w.WriteString("networkAclId", ids.Acl);
                break;
            case "CreateCustomerGateway":
                w.WriteString("type", "ipsec.1");
                w.WriteString("ipAddress", ids.PublicIp);
                w.WriteNumber("bgpAsn", 65000);
                break;
            case "DeleteCustomerGateway":
                w.WriteString("customerGatewayId", ids.CustomerGateway);
                break;
            case "CreateInternetGateway":
                w.WriteEmptyObject("tagSpecificationSet");
                break;
            case "AttachInternetGateway" or "DetachInternetGateway":
                w.WriteString("internetGatewayId", ids.Gateway);
                w.WriteString("vpcId", ids.Vpc);
                break;
            case "DeleteInternetGateway":
                w.WriteString("internetGatewayId", ids.Gateway);
                break;
            case "CreateRoute" or "ReplaceRoute":
                w.WriteString("routeTableId", ids.RouteTable);
                w.WriteString("destinationCidrBlock", "0.0.0.0/0");
                w.WriteString("gatewayId", ids.Gateway);
                break;
            case "DeleteRoute":
                w.WriteString("routeTableId", ids.RouteTable);
                w.WriteString("destinationCidrBlock", "0.0.0.0/0");
                break;
            case "CreateRouteTable":
                w.WriteString("vpcId", ids.Vpc);
                break;
            case "DeleteRouteTable":
                w.WriteString("routeTableId", ids.RouteTable);
                break;
            case "ReplaceRouteTableAssociation":
                w.WriteString("associationId", "rtbassoc-0" + ids.Association);
                w.WriteString("routeTableId", ids.RouteTable);
                break;
            case "DisassociateRouteTable":
                w.WriteString("associationId", "rtbassoc-0" + ids.Association);
                break;
            case "CreateVpc":
                w.WriteString("cidrBlock", "10.20.0.0/16");
                w.WriteString("instanceTenancy", "default");
                w.WriteBoolean("amazonProvidedIpv6CidrBlock", false);
                break;
            case "ModifyVpcAttribute":
                w.WriteString("vpcId", ids.Vpc);
                w.WriteStartObject("enableDnsHostnames");
                w.WriteBoolean("value", true);
                w.WriteEndObject();
                break;
            case "CreateVpcPeeringConnection":
                w.WriteString("vpcId", ids.Vpc);
                w.WriteString("peerVpcId", "vpc-0" + ids.Association);
                w.WriteString("peerOwnerId", SampleAccountPrincipals.OtherAccountId);
                break;
            case "AcceptVpcPeeringConnection" or "DeleteVpcPeeringConnection" or "RejectVpcPeeringConnection":
                w.WriteString("vpcPeeringConnectionId", ids.Peering);
                break;
            case "AttachClassicLinkVpc":
                w.WriteString("instanceId", ids.Instance);
                w.WriteString("vpcId", ids.Vpc);
                w.WriteStartObject("groupSet");
                w.WriteStartArray("items");
                w.WriteStartObject();
                w.WriteString("groupId", ids.Group);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case "DetachClassicLinkVpc":
                w.WriteString("instanceId", ids.Instance);
                w.WriteString("vpcId", ids.Vpc);
                break;
            default:
                // DeleteVpc, DisableVpcClassicLink, EnableVpcClassicLink name only the VPC.
                w.WriteString("vpcId", ids.Vpc);
                break;
        }
    }

    private void WriteNetworkResponse(Utf8JsonWriter w, string eventName, NetworkIds ids)
    {
        switch (eventName)
        {
            case "CreateSecurityGroup":
                w.WriteBoolean("_return", true);
                w.WriteString("groupId", ids.Group);
                break;
            case "CreateNetworkAcl":
                w.WriteStartObject("networkAcl");
                w.WriteString("networkAclId", ids.Acl);
                w.WriteString("vpcId", ids.Vpc);
                w.WriteBoolean("default", false);
                w.WriteEmptyObject("entrySet");
                w.WriteEmptyObject("associationSet");
                w.WriteEmptyObject("tagSet");
                w.WriteString("ownerId", AccountId);
                w.WriteEndObject();
                break;
            case "ReplaceNetworkAclAssociation":
                w.WriteString("newAssociationId", "aclassoc-0" + random.Hex(16));
                break;
            case "CreateCustomerGateway":
                w.WriteStartObject("customerGateway");
                w.WriteString("customerGatewayId", ids.CustomerGateway);
                w.WriteString("state", "available");
                w.WriteString("type", "ipsec.1");
                w.WriteString("ipAddress", ids.PublicIp);
                w.WriteString("bgpAsn", "65000");
                w.WriteEmptyObject("tagSet");
                w.WriteEndObject();
                break;
            case "CreateInternetGateway":
                w.WriteStartObject("internetGateway");
                w.WriteString("internetGatewayId", ids.Gateway);
                w.WriteString("ownerId", AccountId);
                w.WriteEmptyObject("attachmentSet");
                w.WriteEmptyObject("tagSet");
                w.WriteEndObject();
                break;
            case "CreateRouteTable":
                w.WriteStartObject("routeTable");
                w.WriteString("routeTableId", ids.RouteTable);
                w.WriteString("vpcId", ids.Vpc);
                w.WriteString("ownerId", AccountId);
                w.WriteEmptyObject("associationSet");
                w.WriteEmptyObject("propagatingVgwSet");
                w.WriteEmptyObject("tagSet");
                w.WriteEndObject();
                break;
            case "ReplaceRouteTableAssociation":
                w.WriteString("newAssociationId", "rtbassoc-0" + random.Hex(16));
                break;
            case "CreateVpc":
                w.WriteStartObject("vpc");
                w.WriteString("vpcId", ids.Vpc);
                w.WriteString("state", "pending");
                w.WriteString("ownerId", AccountId);
                w.WriteString("cidrBlock", "10.20.0.0/16");
                w.WriteString("instanceTenancy", "default");
                w.WriteBoolean("isDefault", false);
                w.WriteEndObject();
                break;
            case "CreateVpcPeeringConnection":
                w.WriteStartObject("vpcPeeringConnection");
                w.WriteString("vpcPeeringConnectionId", ids.Peering);
                w.WriteStartObject("status");
                w.WriteString("code", "initiating-request");
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            default:
                w.WriteBoolean("_return", true);
                break;
        }
    }

    /// <summary>The resource ids one network event may mention, drawn before rendering so request and response agree.</summary>
    private sealed record NetworkIds(
        string Vpc, string Group, string Acl, string Gateway, string CustomerGateway, string RouteTable, string Association,
        string Peering, string Instance, string PublicIp);
}
