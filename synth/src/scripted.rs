//! Attacks scripted into a background data set: a principal of the background (one that
//! has days of history) has its long-term key used from an address and agent it never used,
//! call by call, two thirds into the data set's days. Each script is a different kind of
//! attack, made by a different principal, so a test can ask whether its origin ranks first.

use std::io;
use std::path::Path;

use crate::bulk::{players, Config};
use crate::{delivery_key, event_json, write_delivery, Actor, Call, Rng};

/// The scripts: name, the background principal whose key is used, the address, the agent.
pub const SCRIPTS: [(&str, &str, &str, &str); 4] = [
    (
        "escalate",
        "frank",
        "45.137.21.9",
        "aws-cli/2.13.5 Python/3.11.4 Darwin/23.1.0 exe/x86_64 prompt/off command/iam.create-user",
    ),
    (
        "exfiltrate",
        "backup-bot",
        "194.165.16.11",
        "Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.10.11 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.57",
    ),
    (
        "evade",
        "grafana",
        "185.100.87.41",
        "aws-cli/1.22.34 Python/3.9.2 Linux/5.10.0-kali7-amd64 botocore/1.24.0",
    ),
    (
        "recon",
        "erin",
        "2a0b:f4c2:2::1",
        "aws-sdk-go-v2/1.21.0 os/macos lang/go#1.21.1 md/GOOS#darwin md/GOARCH#arm64",
    ),
];

/// One call: source, name, read-only, error code (or none), request.
type Step = (
    &'static str,
    &'static str,
    bool,
    Option<&'static str>,
    &'static str,
);

const IAM: &str = "iam.amazonaws.com";
const S3: &str = "s3.amazonaws.com";
const STS: &str = "sts.amazonaws.com";
const TRAIL: &str = "cloudtrail.amazonaws.com";

/// A read that succeeded.
fn read(source: &'static str, name: &'static str, request: &'static str) -> Step {
    (source, name, true, None, request)
}

/// A write that succeeded.
fn write(source: &'static str, name: &'static str, request: &'static str) -> Step {
    (source, name, false, None, request)
}

/// A call refused (AccessDenied).
fn denied(source: &'static str, name: &'static str, read_only: bool) -> Step {
    (source, name, read_only, Some("AccessDenied"), "null")
}

fn steps(script: &str) -> Vec<Step> {
    let who_am_i = read(STS, "GetCallerIdentity", "null");
    let user = r#"{"userName":"svc-backup2"}"#;
    match script {
        "escalate" => vec![
            who_am_i,
            read(IAM, "ListUsers", "null"),
            read(IAM, "ListRoles", "null"),
            read(IAM, "ListAttachedUserPolicies", r#"{"userName":"frank"}"#),
            write(IAM, "CreateUser", user),
            write(
                IAM,
                "AttachUserPolicy",
                r#"{"userName":"svc-backup2","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#,
            ),
            write(IAM, "CreateAccessKey", user),
            write(IAM, "CreateLoginProfile", user),
        ],
        "exfiltrate" => {
            let mut s = vec![
                who_am_i,
                read(S3, "ListBuckets", "null"),
                denied(S3, "GetBucketPolicy", true),
                read(S3, "GetBucketAcl", r#"{"bucketName":"backups-1"}"#),
                write(
                    S3,
                    "PutBucketPolicy",
                    r#"{"bucketName":"backups-1","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}}"#,
                ),
                denied(S3, "PutBucketReplication", false),
            ];
            let object = r#"{"bucketName":"backups-1","key":"db/dump.sql.gz"}"#;
            s.extend((0..12).map(|_| read(S3, "GetObject", object)));
            s
        }
        "evade" => vec![
            who_am_i,
            read(TRAIL, "DescribeTrails", "null"),
            write(TRAIL, "StopLogging", r#"{"name":"org-trail"}"#),
            write(TRAIL, "DeleteTrail", r#"{"name":"org-trail"}"#),
            read("guardduty.amazonaws.com", "ListDetectors", "null"),
            write(
                "guardduty.amazonaws.com",
                "DeleteDetector",
                r#"{"detectorId":"12abc34d567e8fa901bc2d34e56789f0"}"#,
            ),
            write(
                "ec2.amazonaws.com",
                "DeleteFlowLogs",
                r#"{"flowLogIds":["fl-1a2b3c4d"]}"#,
            ),
        ],
        _ => {
            let mut s = vec![who_am_i];
            for (source, name) in [
                (IAM, "GetAccountAuthorizationDetails"),
                ("organizations.amazonaws.com", "DescribeOrganization"),
                ("secretsmanager.amazonaws.com", "ListSecrets"),
                ("rds.amazonaws.com", "DescribeDBInstances"),
                ("lambda.amazonaws.com", "ListFunctions20150331"),
                ("kms.amazonaws.com", "ListKeys"),
                ("dynamodb.amazonaws.com", "ListTables"),
                ("ssm.amazonaws.com", "DescribeParameters"),
                ("ec2.amazonaws.com", "DescribeInstances"),
                (IAM, "ListUsers"),
            ] {
                s.push(denied(source, name, true));
            }
            s.push(read(
                "secretsmanager.amazonaws.com",
                "GetSecretValue",
                r#"{"secretId":"prod/db"}"#,
            ));
            s
        }
    }
}

/// Writes `script` into the data set `config` wrote under `root`: one delivery file.
/// Returns the events written.
pub fn attack(config: &Config, root: &Path, script: &str) -> io::Result<usize> {
    let Some(&(_, victim, ip, agent)) = SCRIPTS.iter().find(|s| s.0 == script) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("no script `{script}`"),
        ));
    };
    let players = players(config);
    let actor: &Actor = players
        .iter()
        .map(|p| &p.actor)
        .find(|a| matches!(a, Actor::IamUser { name, .. } if name == victim))
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, victim.to_string()))?;
    let (account, region) = ("111122223333", "us-east-1");
    let day = i64::from(config.days.max(3)) * 2 / 3;
    let start = config.start + day * 86_400_000 + 14 * 3_600_000;
    let mut rng = Rng::new(config.seed ^ 0x5eed);
    let mut records = Vec::new();
    for (i, (source, name, read_only, error, request)) in steps(script).into_iter().enumerate() {
        let arn = format!("arn:aws:iam::{account}:user/{victim}");
        let action = format!("{}:{name}", source.split('.').next().unwrap_or(""));
        let error = error.map(|code| {
            (
                code,
                format!("User: {arn} is not authorized to perform: {action} because no identity-based policy allows the {action} action"),
            )
        });
        let call = Call {
            session_created: None,
            time: start + i as i64 * 20_000,
            account,
            region,
            source,
            name,
            actor,
            ip,
            agent,
            read_only: Some(read_only),
            response: "null".into(),
            error,
            request: request.into(),
            resources: Vec::new(),
            event_type: "AwsApiCall",
            management: source != "s3.amazonaws.com" || !name.contains("Object"),
        };
        records.push(event_json(&call, &mut rng));
    }
    let key = delivery_key(account, region, start, &mut rng);
    write_delivery(root, &key, &records)?;
    Ok(records.len())
}
