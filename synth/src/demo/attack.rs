//! The attack thread of the demo: the leaked key's discovery, escalation, role hop into
//! the dev account, mail-service abuse, and evasion, call by call.

use super::{
    ci_user, obj, Spec, Writer, ATTACKER_AGENT, ATTACKER_IP, ATTACK_START, DEV, MINUTE, PROD,
    REGIONS,
};
use crate::Actor;

/// One call of the attack, and how long until the next.
struct Move {
    /// Seconds to the next call; `None`: a minute or two, drawn after the call.
    next: Option<i64>,
    region: &'static str,
    source: &'static str,
    name: &'static str,
    read_only: bool,
    error: Option<(&'static str, String)>,
    request: String,
    response: String,
}

/// A call that succeeded.
fn ok(
    next: Option<i64>,
    region: &'static str,
    source: &'static str,
    name: &'static str,
    read_only: bool,
    request: String,
    response: String,
) -> Move {
    Move {
        next,
        region,
        source,
        name,
        read_only,
        error: None,
        request,
        response,
    }
}

/// A read the leaked key was not allowed to make.
fn refused(next: i64, source: &'static str, name: &'static str, action: &str) -> Move {
    let arn = format!("arn:aws:iam::{PROD}:user/ci-deploy");
    let message = format!("User: {arn} is not authorized to perform: {action} because no identity-based policy allows the {action} action");
    Move {
        error: Some(("AccessDenied", message)),
        ..ok(Some(next), "us-east-1", source, name, true, null(), null())
    }
}

fn null() -> String {
    "null".into()
}

/// Plays `moves` as `actor` from the attacker's address, from `start`; returns the time
/// after the last. `session_created`: when the actor's role session began.
fn play(
    w: &mut Writer,
    account: &'static str,
    actor: &Actor,
    (start, session_created): (i64, Option<i64>),
    moves: Vec<Move>,
) -> i64 {
    let mut t = start;
    for m in moves {
        w.call(Spec {
            account,
            region: m.region,
            time: t,
            source: m.source,
            name: m.name,
            actor,
            ip: ATTACKER_IP,
            agent: ATTACKER_AGENT,
            read_only: m.read_only,
            error: m.error,
            request: m.request,
            response: m.response,
            session_created,
        });
        t += match m.next {
            Some(seconds) => seconds * 1000,
            None => 60_000 + w.rng.below(90_000) as i64,
        };
    }
    t
}

/// The attack thread, in order.
#[rustfmt::skip]
pub(super) fn attack(w: &mut Writer) {
    let ci = ci_user();
    let user = "svc-backup-sync";
    let session_key = "ASIAV3XQ7L2MNP4RTYZE";
    let us = "us-east-1";
    let (iam, sts) = ("iam.amazonaws.com", "sts.amazonaws.com");
    // Discovery, many reads refused.
    let mut moves = vec![
        ok(Some(29), us, sts, "GetCallerIdentity", true, null(), null()),
        ok(Some(12), us, iam, "GetUser", true, null(), null()),
        ok(Some(8), us, iam, "ListAttachedUserPolicies", true, obj(&[("userName", "ci-deploy")]), null()),
        refused(15, iam, "GetAccountAuthorizationDetails", "iam:GetAccountAuthorizationDetails"),
        ok(Some(6), us, iam, "ListUsers", true, null(), null()),
        ok(Some(5), us, iam, "ListRoles", true, null(), null()),
        refused(9, "organizations.amazonaws.com", "DescribeOrganization", "organizations:DescribeOrganization"),
        ok(Some(7), us, "s3.amazonaws.com", "ListBuckets", true, obj(&[("Host", "s3.amazonaws.com")]), null()),
    ];
    for region in REGIONS {
        moves.push(ok(Some(4), region, "ec2.amazonaws.com", "DescribeInstances", true, obj(&[("instancesSet", "{}"), ("filterSet", "{}")]), null()));
    }
    moves.extend([
        refused(6, "secretsmanager.amazonaws.com", "ListSecrets", "secretsmanager:ListSecrets"),
        refused(5, "rds.amazonaws.com", "DescribeDBInstances", "rds:DescribeDBInstances"),
        refused(5, "lambda.amazonaws.com", "ListFunctions20150331", "lambda:ListFunctions"),
        refused(5, "kms.amazonaws.com", "ListKeys", "kms:ListKeys"),
        refused(5, "dynamodb.amazonaws.com", "ListTables", "dynamodb:ListTables"),
        refused(5, "ssm.amazonaws.com", "DescribeParameters", "ssm:DescribeParameters"),
        ok(Some(40), us, iam, "ListAccessKeys", true, obj(&[("userName", "ci-deploy")]), null()),
        // Privilege escalation: a user of their own, with AdministratorAccess and keys.
        ok(Some(18), us, iam, "CreateUser", false, obj(&[("userName", user)]),
            format!(r#"{{"user":{{"path":"/","userName":"{user}","userId":"AIDA6ODU5HKQ2XNBLFRT7","arn":"arn:aws:iam::{PROD}:user/{user}","createDate":"{{now}}"}}}}"#)),
        ok(Some(14), us, iam, "AttachUserPolicy", false, obj(&[("userName", user), ("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess")]), null()),
        ok(Some(11), us, iam, "CreateAccessKey", false, obj(&[("userName", user)]),
            format!(r#"{{"accessKey":{{"userName":"{user}","accessKeyId":"AKIA6ODU5HKQZ3RAMP4T","status":"Active","createDate":"{{now}}"}}}}"#)),
        ok(Some(95), us, iam, "CreateLoginProfile", false, obj(&[("userName", user), ("passwordResetRequired", "false")]),
            format!(r#"{{"loginProfile":{{"userName":"{user}","createDate":"{{now}}","passwordResetRequired":false}}}}"#)),
        // The role hop into the dev account.
        ok(Some(21), us, sts, "AssumeRole", false,
            obj(&[("roleArn", &format!("arn:aws:iam::{DEV}:role/OrganizationAccountAccessRole")), ("roleSessionName", "ci-deploy"), ("durationSeconds", "3600")]),
            format!(r#"{{"credentials":{{"accessKeyId":"{session_key}","sessionToken":"IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLE","expiration":"{{expires}}"}},"assumedRoleUser":{{"assumedRoleId":"AROAV3XQ7L2MEXAMPLE:ci-deploy","arn":"arn:aws:sts::{DEV}:assumed-role/OrganizationAccountAccessRole/ci-deploy"}}}}"#)),
    ]);
    let t = play(w, PROD, &ci, (ATTACK_START, None), moves);
    // The session begins with the AssumeRole call, the last move, 21 s before `t`.
    hop(w, t, t - 21_000, session_key);
    // Evasion, back in the production account with the leaked key.
    let trail = "cloudtrail.amazonaws.com";
    play(w, PROD, &ci, (ATTACK_START + 39 * MINUTE, None), vec![
        ok(Some(47), us, trail, "PutEventSelectors", false,
            obj(&[("trailName", "org-main-trail"), ("eventSelectors", r#"[{"readWriteType":"ReadOnly","includeManagementEvents":false,"dataResources":[]}]"#)]), null()),
        ok(Some(47), us, trail, "StopLogging", false,
            obj(&[("name", &format!("arn:aws:cloudtrail:us-east-1:{PROD}:trail/org-main-trail"))]), null()),
    ]);
}

/// The key of the role the attacker chains into from the dev account's session.
const CHAINED_KEY: &str = "ASIAV3XQ7L2MK8CHN9WD";

/// What the attacker does as `OrganizationAccountAccessRole/ci-deploy` in the dev account,
/// then as `MarketingAutomation/ci-deploy` after chaining into it: the mail services, with
/// field values as CloudTrail writes them for those APIs.
#[rustfmt::skip]
fn hop(w: &mut Writer, start: i64, assumed: i64, key: &str) {
    let role = Actor::Role {
        role: "OrganizationAccountAccessRole".into(),
        session: "ci-deploy".into(),
        key: key.into(),
        issuer_principal: "AROAV3XQ7L2MEXAMPLE".into(),
        mfa: false,
        console: false,
    };
    let org = "m-5b1c980000b1a4d5e6f7a8b9c0d1e2f3";
    let app = "7c0e1a2b3c4d5e6f7a8b9c0d1e2f3a4b";
    let config_arn = format!("arn:aws:notifications::{DEV}:configuration/a01hx4k9m2q7w8e3r5t6y1u0ip");
    let (us, west) = ("us-east-1", "us-west-2");
    let (ses, workmail) = ("ses.amazonaws.com", "workmail.amazonaws.com");
    let notifications = "notifications.amazonaws.com";
    let t = play(w, DEV, &role, (start, Some(assumed)), vec![
        ok(None, us, "s3.amazonaws.com", "ListBuckets", true, obj(&[("Host", "s3.amazonaws.com")]), null()),
        ok(None, us, ses, "GetSendQuota", true, null(), null()),
        ok(None, us, ses, "VerifyDomainIdentity", false, obj(&[("domain", "examp1e-billing.com"), ("disableEmailNotifications", "false")]), obj(&[("verificationToken", "QGNgN/4AqfiT8W9XmzW6jx2mH2dQ4vL0Zk7e1pYpC9s=")])),
        ok(None, us, ses, "VerifyEmailIdentity", false, obj(&[("emailAddress", "accounts-payable@examp1e-billing.com")]), null()),
        ok(None, us, ses, "PutIdentityPolicy", false, obj(&[("identity", "examp1e-billing.com"), ("policyName", "delegate-sending"), ("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"ses:SendEmail\",\"ses:SendRawEmail\"],\"Resource\":\"*\"}]}")]), null()),
        ok(None, west, workmail, "CreateUser", false, obj(&[("name", "accounts-payable"), ("displayName", "Accounts Payable"), ("organizationId", org)]), obj(&[("userId", "9d3a8c41-7f2e-4b6a-a1c5-2e8f0b7d6c3a")])),
        ok(None, west, workmail, "CreateAlias", false, obj(&[("alias", "billing@examp1e-billing.com"), ("organizationId", org), ("entityId", "9d3a8c41-7f2e-4b6a-a1c5-2e8f0b7d6c3a")]), null()),
        ok(None, west, "workmailMessageFlow.amazonaws.com", "GetRawMessageContent", true, obj(&[("messageId", "4E6B2A1C-93D7-4F8E-B1A0-7C5D3E9F2B61")]), null()),
        // Role chaining: the session assumes a role of the dev account's own.
        ok(Some(19), us, "sts.amazonaws.com", "AssumeRole", false,
            obj(&[("roleArn", &format!("arn:aws:iam::{DEV}:role/MarketingAutomation")), ("roleSessionName", "ci-deploy"), ("durationSeconds", "3600")]),
            format!(r#"{{"credentials":{{"accessKeyId":"{CHAINED_KEY}","sessionToken":"IQoJb3JpZ2luX2VjEKr//////////wEaCXVzLWVhc3QtMSJHMEUCIQC7EXAMPLE","expiration":"{{expires}}"}},"assumedRoleUser":{{"assumedRoleId":"AROAV3XQ7L2MCHAINED:ci-deploy","arn":"arn:aws:sts::{DEV}:assumed-role/MarketingAutomation/ci-deploy"}}}}"#)),
    ]);
    // The chained session: the campaign and the notification channel.
    let chained = Actor::Role {
        role: "MarketingAutomation".into(),
        session: "ci-deploy".into(),
        key: CHAINED_KEY.into(),
        issuer_principal: "AROAV3XQ7L2MCHAINED".into(),
        mfa: false,
        console: false,
    };
    play(w, DEV, &chained, (t, Some(t - 19_000)), vec![
        ok(None, us, "pinpoint.amazonaws.com", "CreateCampaign", false,
            format!(r#"{{"Description":"***","HoldoutPercent":0,"IsPaused":false,"MessageConfiguration":"***","Name":"***","Schedule":{{"Frequency":"ONCE","IsLocalTime":false,"StartTime":"2024-05-02T15:00:00Z","Timezone":"UTC"}},"SegmentId":"b2e4f6a8c0d2e4f6a8b0c2d4e6f8a0b2","SegmentVersion":1,"application-id":"{app}"}}"#),
            format!(r#"{{"ApplicationId":"{app}","CreationDate":"2024-05-02T14:24:36.207Z","Description":"***","HoldoutPercent":0,"Id":"3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e","IsPaused":false,"LastModifiedDate":"2024-05-02T14:24:36.207Z","MessageConfiguration":"***","Name":"***","SegmentId":"b2e4f6a8c0d2e4f6a8b0c2d4e6f8a0b2","SegmentVersion":1,"State":{{"CampaignStatus":"SCHEDULED"}},"Version":1}}"#)),
        ok(None, us, "sms-voice.amazonaws.com", "CreateConfigurationSet", false, obj(&[("ConfigurationSetName", "billing-notices")]), null()),
        ok(None, us, notifications, "CreateNotificationConfiguration", false, obj(&[("name", "billing-alerts"), ("description", "Billing alerts"), ("aggregationDuration", "NONE")]), obj(&[("arn", &config_arn), ("status", "INACTIVE")])),
        ok(None, us, notifications, "AssociateChannel", false, obj(&[("notificationConfigurationArn", &config_arn), ("arn", &format!("arn%3Aaws%3Anotifications-contacts%3A%3A{DEV}%3Aemailcontact%2Fb7k2m9p4q1"))]), null()),
    ]);
}
