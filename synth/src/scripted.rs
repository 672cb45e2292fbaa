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

fn steps(script: &str) -> Vec<Step> {
    const NONE: Option<&str> = None;
    const DENIED: Option<&str> = Some("AccessDenied");
    match script {
        "escalate" => vec![
            ("sts.amazonaws.com", "GetCallerIdentity", true, NONE, "null"),
            ("iam.amazonaws.com", "ListUsers", true, NONE, "null"),
            ("iam.amazonaws.com", "ListRoles", true, NONE, "null"),
            (
                "iam.amazonaws.com",
                "ListAttachedUserPolicies",
                true,
                NONE,
                r#"{"userName":"frank"}"#,
            ),
            (
                "iam.amazonaws.com",
                "CreateUser",
                false,
                NONE,
                r#"{"userName":"svc-backup2"}"#,
            ),
            (
                "iam.amazonaws.com",
                "AttachUserPolicy",
                false,
                NONE,
                r#"{"userName":"svc-backup2","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#,
            ),
            (
                "iam.amazonaws.com",
                "CreateAccessKey",
                false,
                NONE,
                r#"{"userName":"svc-backup2"}"#,
            ),
            (
                "iam.amazonaws.com",
                "CreateLoginProfile",
                false,
                NONE,
                r#"{"userName":"svc-backup2"}"#,
            ),
        ],
        "exfiltrate" => {
            let mut s = vec![
                ("sts.amazonaws.com", "GetCallerIdentity", true, NONE, "null"),
                ("s3.amazonaws.com", "ListBuckets", true, NONE, "null"),
                (
                    "s3.amazonaws.com",
                    "GetBucketPolicy",
                    true,
                    DENIED,
                    r#"{"bucketName":"prod-data-1"}"#,
                ),
                (
                    "s3.amazonaws.com",
                    "GetBucketAcl",
                    true,
                    NONE,
                    r#"{"bucketName":"backups-1"}"#,
                ),
                (
                    "s3.amazonaws.com",
                    "PutBucketPolicy",
                    false,
                    NONE,
                    r#"{"bucketName":"backups-1","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}}"#,
                ),
                (
                    "s3.amazonaws.com",
                    "PutBucketReplication",
                    false,
                    DENIED,
                    r#"{"bucketName":"backups-1"}"#,
                ),
            ];
            for _ in 0..12 {
                s.push((
                    "s3.amazonaws.com",
                    "GetObject",
                    true,
                    NONE,
                    r#"{"bucketName":"backups-1","key":"db/dump.sql.gz"}"#,
                ));
            }
            s
        }
        "evade" => vec![
            ("sts.amazonaws.com", "GetCallerIdentity", true, NONE, "null"),
            (
                "cloudtrail.amazonaws.com",
                "DescribeTrails",
                true,
                NONE,
                "null",
            ),
            (
                "cloudtrail.amazonaws.com",
                "StopLogging",
                false,
                NONE,
                r#"{"name":"org-trail"}"#,
            ),
            (
                "cloudtrail.amazonaws.com",
                "DeleteTrail",
                false,
                NONE,
                r#"{"name":"org-trail"}"#,
            ),
            (
                "guardduty.amazonaws.com",
                "ListDetectors",
                true,
                NONE,
                "null",
            ),
            (
                "guardduty.amazonaws.com",
                "DeleteDetector",
                false,
                NONE,
                r#"{"detectorId":"12abc34d567e8fa901bc2d34e56789f0"}"#,
            ),
            (
                "ec2.amazonaws.com",
                "DeleteFlowLogs",
                false,
                NONE,
                r#"{"flowLogIds":["fl-1a2b3c4d"]}"#,
            ),
        ],
        _ => {
            let mut s = vec![("sts.amazonaws.com", "GetCallerIdentity", true, NONE, "null")];
            for (source, name) in [
                ("iam.amazonaws.com", "GetAccountAuthorizationDetails"),
                ("organizations.amazonaws.com", "DescribeOrganization"),
                ("secretsmanager.amazonaws.com", "ListSecrets"),
                ("rds.amazonaws.com", "DescribeDBInstances"),
                ("lambda.amazonaws.com", "ListFunctions20150331"),
                ("kms.amazonaws.com", "ListKeys"),
                ("dynamodb.amazonaws.com", "ListTables"),
                ("ssm.amazonaws.com", "DescribeParameters"),
                ("ec2.amazonaws.com", "DescribeInstances"),
                ("iam.amazonaws.com", "ListUsers"),
            ] {
                s.push((source, name, true, DENIED, "null"));
            }
            s.push((
                "secretsmanager.amazonaws.com",
                "GetSecretValue",
                true,
                NONE,
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
