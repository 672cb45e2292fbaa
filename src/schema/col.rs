//! The interned string columns of the index ([`Col`]) and the CloudTrail JSON path each
//! is read from.

/// The interned string columns of the index, each with the JSON path it is read from
/// (`None`: derived while loading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    Name,
    Source,
    Region,
    RecipientAccount,
    IdentityAccount,
    Ip,
    Agent,
    ErrorCode,
    ErrorMessage,
    IdentityType,
    Principal,
    Arn,
    AccessKey,
    UserName,
    PrincipalId,
    IssuerName,
    IssuerArn,
    /// The session part of an assumed-role principal (`ROLE/SESSION`).
    SessionName,
    Category,
    EventType,
    SharedEventId,
    VpcEndpoint,
    SourceIdentity,
    /// `Role`, `AWSAccount`…: what issued an assumed role's session.
    IssuerType,
    /// Console sign-ins: whether MFA was used, and the outcome.
    MfaUsed,
    ConsoleLogin,
    /// The access key of credentials the event issued (AssumeRole and its kin).
    IssuedKey,
    /// The error the event reports ([`crate::event::RawEvent::error`]): errorCode, else
    /// errorMessage, else `Failure` from the outcome in responseElements. What the ERROR
    /// column shows, `error:` matches and the error counts count.
    Error,
    /// An Insights event's type, the API it is about and its state
    /// (`ApiCallRateInsight CreateUser start`).
    Insight,
    /// `requestParameters.bucketName` and `requestParameters.key`: an S3 data event's
    /// bucket and object.
    Bucket,
    ObjectKey,
    /// The caller's tool and operating system ([`super::tools::classify`], the console's
    /// and AWS services' calls read from the event).
    Tool,
    Os,
    /// What the address is and who owns it, looked up once per distinct address
    /// ([`crate::places`]): `private`, `aws`, `tor`…; the autonomous system (`AS15169`) and
    /// its organisation; the country (ISO code) and city, from MaxMind databases the user has.
    IpType,
    /// The service and region AWS's ip-ranges.json lists for an `aws` address.
    AwsRange,
    Asn,
    Org,
    Country,
    City,
    /// `impossible` where the principal's previous call came from too far away to be here
    /// in the time between ([`crate::places::TRAVEL_KMH`]).
    Travel,
}

impl Col {
    pub const ALL: [Col; 40] = [
        Col::Name,
        Col::Source,
        Col::Region,
        Col::RecipientAccount,
        Col::IdentityAccount,
        Col::Ip,
        Col::Agent,
        Col::ErrorCode,
        Col::ErrorMessage,
        Col::IdentityType,
        Col::Principal,
        Col::Arn,
        Col::AccessKey,
        Col::UserName,
        Col::PrincipalId,
        Col::IssuerName,
        Col::IssuerArn,
        Col::SessionName,
        Col::Category,
        Col::EventType,
        Col::SharedEventId,
        Col::VpcEndpoint,
        Col::SourceIdentity,
        Col::IssuerType,
        Col::MfaUsed,
        Col::ConsoleLogin,
        Col::IssuedKey,
        Col::Error,
        Col::Insight,
        Col::Bucket,
        Col::ObjectKey,
        Col::Tool,
        Col::Os,
        Col::IpType,
        Col::AwsRange,
        Col::Asn,
        Col::Org,
        Col::Country,
        Col::City,
        Col::Travel,
    ];
    pub const COUNT: usize = Col::ALL.len();

    /// The CloudTrail JSON path the column is read from; `None` for derived columns.
    pub fn path(self) -> Option<&'static str> {
        Some(match self {
            Col::Name => "eventName",
            Col::Source => "eventSource",
            Col::Region => "awsRegion",
            Col::RecipientAccount => "recipientAccountId",
            Col::IdentityAccount => "userIdentity.accountId",
            Col::Ip => "sourceIPAddress",
            Col::Agent => "userAgent",
            Col::ErrorCode => "errorCode",
            Col::ErrorMessage => "errorMessage",
            Col::IdentityType => "userIdentity.type",
            Col::Arn => "userIdentity.arn",
            Col::AccessKey => "userIdentity.accessKeyId",
            Col::UserName => "userIdentity.userName",
            Col::PrincipalId => "userIdentity.principalId",
            Col::IssuerName => "userIdentity.sessionContext.sessionIssuer.userName",
            Col::IssuerArn => "userIdentity.sessionContext.sessionIssuer.arn",
            Col::Category => "eventCategory",
            Col::EventType => "eventType",
            Col::SharedEventId => "sharedEventID",
            Col::VpcEndpoint => "vpcEndpointId",
            Col::SourceIdentity => "userIdentity.sessionContext.sourceIdentity",
            Col::IssuerType => "userIdentity.sessionContext.sessionIssuer.type",
            Col::MfaUsed => "additionalEventData.MFAUsed",
            Col::ConsoleLogin => "responseElements.ConsoleLogin",
            Col::IssuedKey => "responseElements.credentials.accessKeyId",
            Col::Bucket => "requestParameters.bucketName",
            Col::ObjectKey => "requestParameters.key",
            Col::Principal
            | Col::SessionName
            | Col::Error
            | Col::Insight
            | Col::Tool
            | Col::Os
            | Col::IpType
            | Col::AwsRange
            | Col::Asn
            | Col::Org
            | Col::Country
            | Col::City
            | Col::Travel => return None,
        })
    }

    /// The stored column read from `path` (keys compared without case), if any.
    pub fn of_path(path: &str) -> Option<Col> {
        Col::ALL
            .into_iter()
            .find(|c| c.path().is_some_and(|p| p.eq_ignore_ascii_case(path)))
    }
}
