//! A deterministic generator of realistic CloudTrail data, for benchmarks and the demo.
//!
//! It writes what an `aws s3 sync` of a trail bucket looks like: the S3 key layout,
//! `.json.gz` delivery files of about five minutes of one account and region each, records
//! unsorted within a file, every userIdentity type, errors, large and null request and
//! response bodies, about 1.5 KB per event on average. The same seed gives the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;

pub mod demo;

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    pub fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16)]))
            .collect()
    }

    pub fn upper(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[self.below(32)]))
            .collect()
    }

    pub fn alnum(&mut self, len: usize) -> String {
        const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| char::from(SET[self.below(SET.len())]))
            .collect()
    }

    pub fn uuid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(4),
            self.hex(4),
            self.hex(12)
        )
    }
}

/// Writes JSON text in the key order given, as CloudTrail does.
#[derive(Debug, Default)]
pub struct JsonOut {
    buf: String,
    /// Whether the innermost open container already has a member.
    has_member: Vec<bool>,
}

impl JsonOut {
    pub fn new() -> JsonOut {
        JsonOut::default()
    }

    fn separator(&mut self) {
        if let Some(has) = self.has_member.last_mut() {
            if *has {
                self.buf.push(',');
            }
            *has = true;
        }
    }

    fn key(&mut self, key: &str) {
        self.separator();
        push_string(&mut self.buf, key);
        self.buf.push(':');
    }

    pub fn open(&mut self, key: &str) -> &mut JsonOut {
        self.key(key);
        self.buf.push('{');
        self.has_member.push(false);
        self
    }

    pub fn open_root(&mut self) -> &mut JsonOut {
        self.separator();
        self.buf.push('{');
        self.has_member.push(false);
        self
    }

    pub fn open_array(&mut self, key: &str) -> &mut JsonOut {
        self.key(key);
        self.buf.push('[');
        self.has_member.push(false);
        self
    }

    /// Opens an object as the next element of the open array.
    pub fn open_element(&mut self) -> &mut JsonOut {
        self.open_root()
    }

    pub fn close(&mut self) -> &mut JsonOut {
        self.has_member.pop();
        self.buf.push('}');
        self
    }

    pub fn close_array(&mut self) -> &mut JsonOut {
        self.has_member.pop();
        self.buf.push(']');
        self
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut JsonOut {
        self.key(key);
        push_string(&mut self.buf, value);
        self
    }

    pub fn str_element(&mut self, value: &str) -> &mut JsonOut {
        self.separator();
        push_string(&mut self.buf, value);
        self
    }

    /// A value written as is (numbers, booleans, null).
    pub fn raw(&mut self, key: &str, value: &str) -> &mut JsonOut {
        self.key(key);
        self.buf.push_str(value);
        self
    }

    pub fn finish(self) -> String {
        self.buf
    }
}

fn push_string(buf: &mut String, s: &str) {
    buf.push('"');
    for c in s.chars() {
        match c {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            '\t' => buf.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(buf, "\\u{:04x}", c as u32);
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
}

/// `2024-05-03T14:02:11Z` for milliseconds since the epoch.
pub fn time_text(millis: i64) -> String {
    crate::event::format_time(millis)
}

/// One delivery file's key in the S3 layout.
pub fn delivery_key(account: &str, region: &str, window_start: i64, rng: &mut Rng) -> PathBuf {
    let t = chrono::DateTime::from_timestamp_millis(window_start).unwrap_or_default();
    PathBuf::from(format!(
        "AWSLogs/{account}/CloudTrail/{region}/{}/{account}_CloudTrail_{region}_{}_{}.json.gz",
        t.format("%Y/%m/%d"),
        t.format("%Y%m%dT%H%MZ"),
        rng.alnum(16)
    ))
}

/// Writes one delivery file: `{"Records":[...]}` gzip-compressed, creating directories.
pub fn write_delivery(root: &Path, key: &Path, records: &[String]) -> io::Result<u64> {
    let path = root.join(key);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut text = String::with_capacity(records.iter().map(|r| r.len() + 1).sum::<usize>() + 16);
    text.push_str("{\"Records\":[");
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(record);
    }
    text.push_str("]}");
    let mut enc = GzEncoder::new(
        io::BufWriter::new(fs::File::create(&path)?),
        flate2::Compression::new(6),
    );
    enc.write_all(text.as_bytes())?;
    enc.finish()?.flush()?;
    Ok(text.len() as u64)
}

/// What identity an event is made by.
#[derive(Debug, Clone)]
pub enum Actor {
    IamUser {
        name: String,
        key: String,
        console: bool,
    },
    Role {
        role: String,
        session: String,
        key: String,
        issuer_principal: String,
        mfa: bool,
        console: bool,
    },
    Root {
        console: bool,
    },
    Service(String),
    Federated {
        name: String,
        key: String,
    },
    OtherAccount {
        account: String,
    },
    IdentityCenter {
        user_id: String,
        user_name: String,
    },
    Saml {
        user: String,
        key: String,
    },
    WebIdentity {
        subject: String,
        key: String,
    },
}

/// The fields of one event to write.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub time: i64,
    pub account: &'a str,
    pub region: &'a str,
    pub source: &'a str,
    pub name: &'a str,
    pub actor: &'a Actor,
    pub ip: &'a str,
    pub agent: &'a str,
    pub read_only: Option<bool>,
    pub error: Option<(&'a str, String)>,
    /// Raw JSON for requestParameters (`null` allowed).
    pub request: String,
    /// Raw JSON for responseElements (`null` allowed).
    pub response: String,
    pub resources: Vec<(String, String)>,
    pub event_type: &'a str,
    pub management: bool,
}

/// Writes one event as CloudTrail does (eventVersion 1.08 key order).
pub fn event_json(call: &Call<'_>, rng: &mut Rng) -> String {
    let mut j = JsonOut::new();
    j.open_root().str("eventVersion", "1.08");
    write_identity(&mut j, call, rng);
    j.str("eventTime", &time_text(call.time))
        .str("eventSource", call.source)
        .str("eventName", call.name)
        .str("awsRegion", call.region)
        .str("sourceIPAddress", call.ip)
        .str("userAgent", call.agent);
    if let Some((code, message)) = &call.error {
        j.str("errorCode", code).str("errorMessage", message);
    }
    j.raw("requestParameters", &call.request)
        .raw("responseElements", &call.response);
    let request_id = rng.uuid();
    let event_id = rng.uuid();
    j.str("requestID", &request_id).str("eventID", &event_id);
    if call.source == "s3.amazonaws.com" {
        // S3 writes a per-request host id: high-entropy, as in real trails.
        j.open("additionalEventData")
            .str("SignatureVersion", "SigV4")
            .str("CipherSuite", "TLS_AES_128_GCM_SHA256")
            .raw("bytesTransferredIn", "0")
            .str("AuthenticationMethod", "AuthHeader")
            .str("x-amz-id-2", &rng.alnum(76))
            .raw("bytesTransferredOut", &rng.below(100_000).to_string())
            .close();
    }
    if let Some(read_only) = call.read_only {
        j.raw("readOnly", if read_only { "true" } else { "false" });
    }
    if !call.resources.is_empty() {
        j.open_array("resources");
        for (kind, arn) in &call.resources {
            j.open_element()
                .str("accountId", call.account)
                .str("type", kind)
                .str("ARN", arn)
                .close();
        }
        j.close_array();
    }
    j.str("eventType", call.event_type)
        .raw(
            "managementEvent",
            if call.management { "true" } else { "false" },
        )
        .str("recipientAccountId", call.account)
        .str(
            "eventCategory",
            if call.management {
                "Management"
            } else {
                "Data"
            },
        );
    if !matches!(call.actor, Actor::Service(_)) {
        j.open("tlsDetails")
            .str("tlsVersion", "TLSv1.3")
            .str("cipherSuite", "TLS_AES_128_GCM_SHA256")
            .str(
                "clientProvidedHostHeader",
                &format!(
                    "{}.{}.amazonaws.com",
                    call.source.split('.').next().unwrap_or("api"),
                    call.region
                ),
            )
            .close();
    }
    j.close();
    j.finish()
}

fn write_identity(j: &mut JsonOut, call: &Call<'_>, _rng: &mut Rng) {
    let account = call.account;
    j.open("userIdentity");
    match call.actor {
        Actor::IamUser { name, key, console } => {
            j.str("type", "IAMUser")
                .str("principalId", &format!("AIDA{}", pseudo_id(name)))
                .str("arn", &format!("arn:aws:iam::{account}:user/{name}"))
                .str("accountId", account)
                .str("accessKeyId", key)
                .str("userName", name);
            if *console {
                j.open("sessionContext")
                    .open("attributes")
                    .str("creationDate", &time_text(call.time - 3_600_000))
                    .str("mfaAuthenticated", "false")
                    .close()
                    .str("sessionCredentialFromConsole", "true")
                    .close();
            }
        }
        Actor::Role {
            role,
            session,
            key,
            issuer_principal,
            mfa,
            console,
        } => {
            j.str("type", "AssumedRole")
                .str("principalId", &format!("{issuer_principal}:{session}"))
                .str(
                    "arn",
                    &format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
                )
                .str("accountId", account)
                .str("accessKeyId", key)
                .open("sessionContext")
                .open("sessionIssuer")
                .str("type", "Role")
                .str("principalId", issuer_principal)
                .str("arn", &format!("arn:aws:iam::{account}:role/{role}"))
                .str("accountId", account)
                .str("userName", role)
                .close()
                .open("attributes")
                .str("creationDate", &time_text(call.time - 600_000))
                .str("mfaAuthenticated", if *mfa { "true" } else { "false" })
                .close();
            if *console {
                j.str("sessionCredentialFromConsole", "true");
            }
            j.close();
        }
        Actor::Root { console } => {
            j.str("type", "Root")
                .str("principalId", account)
                .str("arn", &format!("arn:aws:iam::{account}:root"))
                .str("accountId", account);
            if *console {
                j.open("sessionContext")
                    .open("attributes")
                    .str("creationDate", &time_text(call.time - 60_000))
                    .str("mfaAuthenticated", "true")
                    .close()
                    .close();
            }
        }
        Actor::Service(service) => {
            j.str("type", "AWSService").str("invokedBy", service);
        }
        Actor::Federated { name, key } => {
            j.str("type", "FederatedUser")
                .str("principalId", &format!("{account}:{name}"))
                .str(
                    "arn",
                    &format!("arn:aws:sts::{account}:federated-user/{name}"),
                )
                .str("accountId", account)
                .str("accessKeyId", key);
        }
        Actor::OtherAccount { account: other } => {
            j.str("type", "AWSAccount")
                .str("principalId", &format!("AIDA{}", pseudo_id(other)))
                .str("accountId", other);
        }
        Actor::IdentityCenter { user_id, user_name } => {
            j.str("type", "IdentityCenterUser")
                .str("accountId", account)
                .open("onBehalfOf")
                .str("userId", user_id)
                .str(
                    "identityStoreArn",
                    "arn:aws:identitystore::111111111111:identitystore/d-9067642ac7",
                )
                .close()
                .str("credentialId", &pseudo_id(user_name));
        }
        Actor::Saml { user, key } => {
            j.str("type", "SAMLUser")
                .str("principalId", &format!("SAMPLE_NAME_QUALIFIER:{user}"))
                .str("userName", user)
                .str("identityProvider", "bdGOnTesti4+ErBjyKqXXXXXXXX=")
                .str("accessKeyId", key);
        }
        Actor::WebIdentity { subject, key } => {
            j.str("type", "WebIdentityUser")
                .str("principalId", &format!("accounts.google.com:{subject}"))
                .str("userName", subject)
                .str("identityProvider", "accounts.google.com")
                .str("accessKeyId", key);
        }
    }
    j.close();
}

/// A stable 17-character upper-case id derived from a name.
pub fn pseudo_id(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    Rng::new(h).upper(17)
}

/// The API catalogue the background draws from: (eventSource, eventName, readOnly).
pub const CATALOGUE: &[(&str, &[&str], &[&str])] = &[
    (
        "s3.amazonaws.com",
        &[
            "GetObject",
            "HeadObject",
            "ListObjects",
            "ListObjectsV2",
            "GetBucketAcl",
            "GetBucketLocation",
            "GetBucketPolicy",
            "GetBucketVersioning",
            "GetBucketTagging",
            "GetBucketEncryption",
            "ListBuckets",
        ],
        &[
            "PutObject",
            "DeleteObject",
            "PutBucketPolicy",
            "PutBucketTagging",
            "CreateBucket",
            "PutBucketAcl",
            "CopyObject",
        ],
    ),
    (
        "ec2.amazonaws.com",
        &[
            "DescribeInstances",
            "DescribeSecurityGroups",
            "DescribeVpcs",
            "DescribeSubnets",
            "DescribeVolumes",
            "DescribeSnapshots",
            "DescribeImages",
            "DescribeRegions",
            "DescribeNetworkInterfaces",
            "DescribeRouteTables",
            "DescribeKeyPairs",
            "DescribeAddresses",
            "DescribeTags",
            "DescribeInstanceStatus",
            "DescribeLaunchTemplates",
        ],
        &[
            "RunInstances",
            "TerminateInstances",
            "StartInstances",
            "StopInstances",
            "CreateTags",
            "DeleteTags",
            "AuthorizeSecurityGroupIngress",
            "RevokeSecurityGroupIngress",
            "CreateSnapshot",
            "CreateVolume",
            "AttachVolume",
            "ModifyInstanceAttribute",
            "CreateSecurityGroup",
        ],
    ),
    (
        "iam.amazonaws.com",
        &[
            "GetUser",
            "ListUsers",
            "ListRoles",
            "GetRole",
            "ListPolicies",
            "GetPolicy",
            "GetPolicyVersion",
            "ListAttachedRolePolicies",
            "ListAttachedUserPolicies",
            "ListAccessKeys",
            "GetAccountSummary",
            "ListGroups",
            "ListMFADevices",
            "GenerateCredentialReport",
            "GetCredentialReport",
        ],
        &[
            "CreateRole",
            "CreateAccessKey",
            "CreateUser",
            "AttachUserPolicy",
            "DeleteRole",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "PutRolePolicy",
            "CreatePolicy",
            "CreatePolicyVersion",
            "UpdateAssumeRolePolicy",
            "TagRole",
            "CreateServiceLinkedRole",
        ],
    ),
    (
        "sts.amazonaws.com",
        &["GetCallerIdentity", "GetSessionToken"],
        &[
            "AssumeRole",
            "AssumeRoleWithWebIdentity",
            "AssumeRoleWithSAML",
            "GetFederationToken",
        ],
    ),
    (
        "lambda.amazonaws.com",
        &[
            "ListFunctions20150331",
            "GetFunction20150331v2",
            "GetFunctionConfiguration20150331v2",
            "ListEventSourceMappings20150331",
            "GetPolicy20150331v2",
            "ListTags20170331",
        ],
        &[
            "UpdateFunctionCode20150331v2",
            "UpdateFunctionConfiguration20150331v2",
            "CreateFunction20150331",
            "AddPermission20150331v2",
            "Invoke",
            "PublishVersion20150331",
        ],
    ),
    (
        "dynamodb.amazonaws.com",
        &[
            "DescribeTable",
            "ListTables",
            "DescribeContinuousBackups",
            "DescribeTimeToLive",
            "ListTagsOfResource",
        ],
        &[
            "CreateTable",
            "UpdateTable",
            "DeleteTable",
            "CreateBackup",
            "TagResource",
        ],
    ),
    (
        "kms.amazonaws.com",
        &[
            "Decrypt",
            "GenerateDataKey",
            "DescribeKey",
            "ListKeys",
            "ListAliases",
            "GetKeyPolicy",
            "GetKeyRotationStatus",
        ],
        &[
            "Encrypt",
            "CreateGrant",
            "RetireGrant",
            "ScheduleKeyDeletion",
            "CreateKey",
            "PutKeyPolicy",
        ],
    ),
    (
        "logs.amazonaws.com",
        &[
            "DescribeLogGroups",
            "DescribeLogStreams",
            "GetLogEvents",
            "FilterLogEvents",
            "DescribeMetricFilters",
        ],
        &[
            "CreateLogStream",
            "CreateLogGroup",
            "PutRetentionPolicy",
            "DeleteLogGroup",
            "PutSubscriptionFilter",
        ],
    ),
    (
        "cloudwatch.amazonaws.com",
        &[
            "DescribeAlarms",
            "GetMetricData",
            "ListMetrics",
            "GetMetricStatistics",
            "DescribeAlarmHistory",
        ],
        &[
            "PutMetricAlarm",
            "DeleteAlarms",
            "PutDashboard",
            "SetAlarmState",
        ],
    ),
    (
        "cloudformation.amazonaws.com",
        &[
            "DescribeStacks",
            "ListStacks",
            "DescribeStackEvents",
            "GetTemplate",
            "DescribeStackResources",
            "ListStackResources",
        ],
        &[
            "CreateStack",
            "UpdateStack",
            "DeleteStack",
            "CreateChangeSet",
            "ExecuteChangeSet",
        ],
    ),
    (
        "ssm.amazonaws.com",
        &[
            "GetParameter",
            "GetParameters",
            "GetParametersByPath",
            "DescribeInstanceInformation",
            "ListCommands",
            "DescribeParameters",
            "ListAssociations",
        ],
        &[
            "PutParameter",
            "SendCommand",
            "StartSession",
            "UpdateInstanceInformation",
            "DeleteParameter",
        ],
    ),
    (
        "secretsmanager.amazonaws.com",
        &["GetSecretValue", "DescribeSecret", "ListSecrets"],
        &[
            "PutSecretValue",
            "CreateSecret",
            "RotateSecret",
            "UpdateSecret",
        ],
    ),
    (
        "rds.amazonaws.com",
        &[
            "DescribeDBInstances",
            "DescribeDBClusters",
            "DescribeDBSnapshots",
            "ListTagsForResource",
            "DescribeDBParameterGroups",
        ],
        &[
            "CreateDBSnapshot",
            "ModifyDBInstance",
            "RebootDBInstance",
            "AddTagsToResource",
        ],
    ),
    (
        "ecr.amazonaws.com",
        &[
            "GetAuthorizationToken",
            "BatchGetImage",
            "GetDownloadUrlForLayer",
            "DescribeRepositories",
            "DescribeImages",
            "ListImages",
            "BatchCheckLayerAvailability",
        ],
        &[
            "PutImage",
            "InitiateLayerUpload",
            "CompleteLayerUpload",
            "UploadLayerPart",
            "CreateRepository",
        ],
    ),
    (
        "ecs.amazonaws.com",
        &[
            "DescribeServices",
            "DescribeTasks",
            "ListTasks",
            "DescribeClusters",
            "ListServices",
            "DescribeTaskDefinition",
        ],
        &[
            "RunTask",
            "UpdateService",
            "RegisterTaskDefinition",
            "StopTask",
            "SubmitTaskStateChange",
        ],
    ),
    (
        "elasticloadbalancing.amazonaws.com",
        &[
            "DescribeLoadBalancers",
            "DescribeTargetGroups",
            "DescribeTargetHealth",
            "DescribeListeners",
            "DescribeRules",
        ],
        &[
            "RegisterTargets",
            "DeregisterTargets",
            "ModifyListener",
            "CreateRule",
        ],
    ),
    (
        "autoscaling.amazonaws.com",
        &[
            "DescribeAutoScalingGroups",
            "DescribeScalingActivities",
            "DescribeLaunchConfigurations",
            "DescribePolicies",
        ],
        &[
            "UpdateAutoScalingGroup",
            "SetDesiredCapacity",
            "PutScalingPolicy",
            "TerminateInstanceInAutoScalingGroup",
        ],
    ),
    (
        "sns.amazonaws.com",
        &[
            "ListTopics",
            "GetTopicAttributes",
            "ListSubscriptions",
            "ListSubscriptionsByTopic",
        ],
        &["Publish", "Subscribe", "CreateTopic", "SetTopicAttributes"],
    ),
    (
        "sqs.amazonaws.com",
        &[
            "GetQueueAttributes",
            "ListQueues",
            "GetQueueUrl",
            "ListQueueTags",
        ],
        &[
            "CreateQueue",
            "SetQueueAttributes",
            "PurgeQueue",
            "DeleteQueue",
        ],
    ),
    (
        "route53.amazonaws.com",
        &[
            "ListHostedZones",
            "ListResourceRecordSets",
            "GetHostedZone",
            "GetChange",
        ],
        &["ChangeResourceRecordSets", "CreateHostedZone"],
    ),
    (
        "cloudtrail.amazonaws.com",
        &[
            "DescribeTrails",
            "GetTrailStatus",
            "LookupEvents",
            "GetEventSelectors",
            "ListTrails",
            "GetInsightSelectors",
        ],
        &[
            "CreateTrail",
            "UpdateTrail",
            "PutEventSelectors",
            "StartLogging",
        ],
    ),
    (
        "config.amazonaws.com",
        &[
            "DescribeConfigRules",
            "DescribeConfigurationRecorders",
            "GetComplianceDetailsByConfigRule",
            "DescribeDeliveryChannels",
        ],
        &[
            "PutEvaluations",
            "PutConfigRule",
            "StartConfigRulesEvaluation",
        ],
    ),
    (
        "guardduty.amazonaws.com",
        &[
            "ListDetectors",
            "GetDetector",
            "ListFindings",
            "GetFindings",
        ],
        &["CreateDetector", "UpdateDetector", "ArchiveFindings"],
    ),
    (
        "signin.amazonaws.com",
        &[],
        &["ConsoleLogin", "SwitchRole", "CheckMfa"],
    ),
    (
        "organizations.amazonaws.com",
        &[
            "DescribeOrganization",
            "ListAccounts",
            "ListPolicies",
            "DescribeAccount",
        ],
        &["CreateAccount", "AttachPolicy"],
    ),
    (
        "athena.amazonaws.com",
        &[
            "GetQueryExecution",
            "GetQueryResults",
            "ListWorkGroups",
            "GetWorkGroup",
            "ListNamedQueries",
        ],
        &[
            "StartQueryExecution",
            "StopQueryExecution",
            "CreateWorkGroup",
        ],
    ),
    (
        "glue.amazonaws.com",
        &[
            "GetTables",
            "GetDatabases",
            "GetTable",
            "GetPartitions",
            "GetCrawler",
            "GetJobRuns",
        ],
        &[
            "StartJobRun",
            "StartCrawler",
            "CreateTable",
            "UpdateTable",
            "BatchCreatePartition",
        ],
    ),
    (
        "kinesis.amazonaws.com",
        &[
            "DescribeStream",
            "ListStreams",
            "DescribeStreamSummary",
            "ListShards",
        ],
        &[
            "CreateStream",
            "IncreaseStreamRetentionPeriod",
            "AddTagsToStream",
        ],
    ),
    (
        "elasticfilesystem.amazonaws.com",
        &[
            "DescribeFileSystems",
            "DescribeMountTargets",
            "DescribeAccessPoints",
        ],
        &[
            "CreateFileSystem",
            "CreateMountTarget",
            "PutLifecycleConfiguration",
        ],
    ),
    (
        "apigateway.amazonaws.com",
        &["GetRestApis", "GetStages", "GetResources", "GetDeployments"],
        &["CreateDeployment", "UpdateStage", "PutMethod"],
    ),
];

/// Error codes CloudTrail writes, with their message shapes.
pub const ERRORS: &[(&str, &str)] = &[
    ("AccessDenied", "User: {arn} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action"),
    ("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: {arn} is not authorized to perform: {action} on resource: {resource}"),
    ("ThrottlingException", "Rate exceeded"),
    ("NoSuchEntityException", "The role with name {name} cannot be found."),
    ("ResourceNotFoundException", "Requested resource not found"),
    ("Client.InvalidParameterValue", "Value () for parameter groupId is invalid. The value cannot be empty"),
    ("ValidationException", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"),
    ("NoSuchBucket", "The specified bucket does not exist"),
];

/// Settings of a synthetic data set.
#[derive(Debug, Clone)]
pub struct Config {
    pub events: usize,
    pub seed: u64,
    /// Events per delivery file, on average.
    pub per_file: usize,
    pub start: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            events: 100_000,
            seed: 1,
            per_file: 172,
            // 2024-05-01T00:00:00Z
            start: 1_714_521_600_000,
        }
    }
}

/// What a generation wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub events: usize,
    pub json_bytes: u64,
}

const ACCOUNTS: [&str; 4] = [
    "111122223333",
    "444455556666",
    "777788889999",
    "210987654321",
];
const REGIONS: [&str; 6] = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "sa-east-1",
];
const AGENTS: [&str; 8] = [
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/s3.ls",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.5",
    "Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "aws-sdk-java/2.25.16 Linux/5.10.210 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy",
    "console.amazonaws.com",
    "aws-internal/3 aws-sdk-java/1.12.680 Linux/5.10.210 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard",
];
const SERVICES: [&str; 8] = [
    "autoscaling.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "lambda.amazonaws.com",
    "config.amazonaws.com",
    "cloudformation.amazonaws.com",
    "guardduty.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "trustedadvisor.amazonaws.com",
];

/// The principals of the background, fixed per seed.
fn cast(rng: &mut Rng) -> Vec<Actor> {
    let mut actors = Vec::new();
    for name in [
        "alice",
        "bob",
        "carol",
        "dave",
        "erin",
        "frank",
        "ci-deploy",
        "backup-bot",
        "grafana",
        "terraform",
    ] {
        actors.push(Actor::IamUser {
            name: name.into(),
            key: format!("AKIA{}", rng.upper(16)),
            console: false,
        });
    }
    for role in [
        "OrganizationAccountAccessRole",
        "AdminRole",
        "ReadOnly",
        "eks-node-role",
        "lambda-exec",
        "GitHubActionsDeploy",
        "DataPipeline",
        "AWSReservedSSO_PowerUser_5f1a",
    ] {
        for _ in 0..6 {
            actors.push(Actor::Role {
                role: role.into(),
                session: match rng.below(3) {
                    0 => format!("i-0{}", rng.hex(16)),
                    1 => format!("botocore-session-{}", 1_714_000_000 + rng.below(1_000_000)),
                    _ => format!(
                        "{}@example.com",
                        rng.pick_str(&["alice", "bob", "carol", "dave"])
                    ),
                },
                key: format!("ASIA{}", rng.upper(16)),
                issuer_principal: format!("AROA{}", pseudo_id(role)),
                mfa: rng.chance(0.3),
                console: rng.chance(0.15),
            });
        }
    }
    for service in SERVICES {
        actors.push(Actor::Service(service.into()));
    }
    actors.push(Actor::Root { console: true });
    actors.push(Actor::Federated {
        name: "okta-sync".into(),
        key: format!("ASIA{}", rng.upper(16)),
    });
    actors.push(Actor::OtherAccount {
        account: "999988887777".into(),
    });
    actors.push(Actor::IdentityCenter {
        user_id: "94482488-3041-7026-18f3-be45837cd0e4".into(),
        user_name: "grace".into(),
    });
    actors.push(Actor::Saml {
        user: "heidi@example.com".into(),
        key: format!("ASIA{}", rng.upper(16)),
    });
    actors.push(Actor::WebIdentity {
        subject: "107834562384756234875".into(),
        key: format!("ASIA{}", rng.upper(16)),
    });
    actors
}

fn actor_arn(actor: &Actor, account: &str) -> String {
    match actor {
        Actor::IamUser { name, .. } => format!("arn:aws:iam::{account}:user/{name}"),
        Actor::Role { role, session, .. } => {
            format!("arn:aws:sts::{account}:assumed-role/{role}/{session}")
        }
        _ => format!("arn:aws:iam::{account}:root"),
    }
}

/// A request body: null, small, or (rarely) large.
pub(crate) fn request_body(rng: &mut Rng, name: &str, region: &str) -> String {
    if rng.chance(0.18) {
        return "null".into();
    }
    let mut j = JsonOut::new();
    j.open_root();
    if rng.chance(0.5) {
        j.str("clientToken", &rng.uuid());
    }
    if name.contains("Bucket") || name.contains("Object") {
        j.str(
            "bucketName",
            &format!(
                "{}-{}",
                rng.pick_str(&["prod-data", "logs", "backups", "web-assets", "tfstate"]),
                rng.hex(6)
            ),
        )
        .str("Host", "s3.amazonaws.com");
        if name.contains("Object") {
            j.str(
                "key",
                &format!(
                    "{}/{}.parquet",
                    rng.pick_str(&["2024/05", "exports", "tmp"]),
                    rng.hex(12)
                ),
            );
        }
    } else if name.starts_with("Describe") || name.starts_with("List") || name.starts_with("Get") {
        if rng.chance(0.5) {
            j.raw("maxResults", "1000");
        }
        if rng.chance(0.4) {
            j.open("filterSet").open_array("items");
            for _ in 0..1 + rng.below(3) {
                j.open_element()
                    .str(
                        "name",
                        rng.pick_str(&["instance-state-name", "tag:Environment", "vpc-id"]),
                    )
                    .open("valueSet")
                    .open_array("items")
                    .open_element()
                    .str(
                        "value",
                        rng.pick_str(&["running", "production", "vpc-0a1b2c3d"]),
                    )
                    .close()
                    .close_array()
                    .close()
                    .close();
            }
            j.close_array().close();
        }
    } else {
        j.str(
            "name",
            &format!(
                "{}-{}",
                rng.pick_str(&["app", "svc", "job", "etl"]),
                rng.hex(8)
            ),
        )
        .str("region", region);
        if rng.chance(0.1) {
            // A large policy document, as PutRolePolicy and friends carry.
            let mut doc = String::from("{\"Version\":\"2012-10-17\",\"Statement\":[");
            for i in 0..20 + rng.below(40) {
                if i > 0 {
                    doc.push(',');
                }
                let _ = write!(
                    doc,
                    "{{\"Sid\":\"S{i}\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::bucket-{}/*\"}}",
                    rng.hex(8)
                );
            }
            doc.push_str("]}");
            j.str("policyDocument", &doc);
        }
    }
    j.close();
    j.finish()
}

pub(crate) fn response_body(rng: &mut Rng, name: &str, read_only: bool) -> String {
    if read_only || rng.chance(0.4) {
        if read_only && name.starts_with("Describe") && rng.chance(0.08) {
            // A large Describe* response.
            let mut j = JsonOut::new();
            j.open_root()
                .str("requestId", &rng.uuid())
                .open("reservationSet")
                .open_array("items");
            for _ in 0..3 + rng.below(10) {
                j.open_element()
                    .str("reservationId", &format!("r-0{}", rng.hex(16)))
                    .str("ownerId", "111122223333")
                    .open("instancesSet")
                    .open_array("items")
                    .open_element()
                    .str("instanceId", &format!("i-0{}", rng.hex(16)))
                    .str("imageId", &format!("ami-0{}", rng.hex(16)))
                    .str(
                        "privateIpAddress",
                        &format!("10.0.{}.{}", rng.below(255), rng.below(255)),
                    )
                    .str("subnetId", &format!("subnet-0{}", rng.hex(16)))
                    .str("vpcId", &format!("vpc-0{}", rng.hex(16)))
                    .close()
                    .close_array()
                    .close()
                    .close();
            }
            j.close_array().close().close();
            return j.finish();
        }
        return "null".into();
    }
    let mut j = JsonOut::new();
    j.open_root()
        .str("requestId", &rng.uuid())
        .str(
            "arn",
            &format!(
                "arn:aws:{}:us-east-1:111122223333:{}/{}",
                name.to_ascii_lowercase()
                    .chars()
                    .take(6)
                    .collect::<String>(),
                "resource",
                rng.hex(10)
            ),
        )
        .str("createdDate", "May 3, 2024 2:02:11 PM")
        .close();
    j.finish()
}

/// Generates the events of one delivery file (unsorted, as CloudTrail delivers them).
fn delivery(
    config: &Config,
    file: usize,
    count: usize,
    window: i64,
    actors: &[(Actor, Vec<String>)],
) -> (PathBuf, Vec<String>) {
    let mut rng = Rng::new(
        config
            .seed
            .wrapping_mul(1_000_003)
            .wrapping_add(file as u64),
    );
    let account = ACCOUNTS[file % ACCOUNTS.len()];
    let region = REGIONS[(file / ACCOUNTS.len()) % REGIONS.len()];
    let key = delivery_key(account, region, window, &mut rng);
    let mut records = Vec::with_capacity(count);
    for _ in 0..count {
        let (source, reads, writes) = *rng.pick(CATALOGUE);
        let read_only = writes.is_empty() || (!reads.is_empty() && rng.chance(0.8));
        let name = if read_only {
            *rng.pick(reads)
        } else {
            *rng.pick(writes)
        };
        let (actor, addresses) = rng.pick(actors);
        let ip = match actor {
            Actor::Service(s) => s.clone(),
            _ if rng.chance(0.03) => "AWS Internal".into(),
            // Mostly the principal's own few addresses, sometimes anywhere.
            _ if rng.chance(0.95) => rng.pick(addresses).clone(),
            _ => random_ip(&mut rng),
        };
        let agent = match actor {
            Actor::Service(s) => s.as_str(),
            _ => rng.pick(&AGENTS),
        };
        let error = rng.chance(0.05).then(|| {
            let (code, message) = *rng.pick(ERRORS);
            (
                code,
                message
                    .replace("{arn}", &actor_arn(actor, account))
                    .replace(
                        "{action}",
                        &format!("{}:{name}", source.split('.').next().unwrap_or("")),
                    )
                    .replace("{resource}", "*")
                    .replace("{name}", "app-role"),
            )
        });
        let time = window + rng.below(300_000) as i64;
        let request = request_body(&mut rng, name, region);
        let response = if error.is_some() {
            "null".to_string()
        } else {
            response_body(&mut rng, name, read_only)
        };
        let resources = if rng.chance(0.1) {
            vec![(
                "AWS::KMS::Key".to_string(),
                format!("arn:aws:kms:{region}:{account}:key/{}", rng.uuid()),
            )]
        } else {
            Vec::new()
        };
        let call = Call {
            time,
            account,
            region,
            source,
            name,
            actor,
            ip: &ip,
            agent,
            read_only: Some(read_only),
            error,
            request,
            response,
            resources,
            event_type: if name == "ConsoleLogin" {
                "AwsConsoleSignIn"
            } else {
                "AwsApiCall"
            },
            management: source != "s3.amazonaws.com" || !name.contains("Object"),
        };
        records.push(event_json(&call, &mut rng));
    }
    (key, records)
}

fn random_ip(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        rng.pick(&[203, 198, 52, 34, 18, 3, 81, 94]),
        rng.below(256),
        rng.below(256),
        1 + rng.below(254)
    )
}

/// Writes a synthetic data set under `root` on all cores.
pub fn generate(config: &Config, root: &Path) -> io::Result<Summary> {
    let mut rng = Rng::new(config.seed);
    let actors: Vec<(Actor, Vec<String>)> = cast(&mut rng)
        .into_iter()
        .map(|actor| {
            let addresses = (0..1 + rng.below(4)).map(|_| random_ip(&mut rng)).collect();
            (actor, addresses)
        })
        .collect();
    let files = config.events.div_ceil(config.per_file.max(1));
    let per_window = ACCOUNTS.len() * REGIONS.len();
    let results = crate::parallel::parallel(
        files,
        0,
        || Ok(Summary::default()),
        |summary: &mut io::Result<Summary>, file| {
            let Ok(sum) = summary else { return };
            let first = file * config.per_file;
            let count = config.per_file.min(config.events.saturating_sub(first));
            let window = config.start + (file / per_window) as i64 * 300_000;
            let (key, records) = delivery(config, file, count, window, &actors);
            match write_delivery(root, &key, &records) {
                Ok(bytes) => {
                    sum.files += 1;
                    sum.events += count;
                    sum.json_bytes += bytes;
                }
                Err(err) => *summary = Err(err),
            }
        },
    );
    let mut total = Summary::default();
    for result in results {
        let s = result?;
        total.files += s.files;
        total.events += s.events;
        total.json_bytes += s.json_bytes;
    }
    Ok(total)
}
