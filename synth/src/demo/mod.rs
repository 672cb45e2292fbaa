//! The built-in demo investigation: three days of two accounts' activity in three regions,
//! through which runs one attack a reader can find and follow.
//!
//! The story: the long-term key of the CI user `ci-deploy` leaks. From 185.220.101.47 the
//! attacker checks the key (GetCallerIdentity), looks around (List*/Describe*, many
//! AccessDenied), escalates (CreateUser, AttachUserPolicy AdministratorAccess,
//! CreateAccessKey, CreateLoginProfile), hops into the dev account's
//! OrganizationAccountAccessRole with session name `ci-deploy`, abuses the mail services
//! (SES, WorkMail, Pinpoint, User Notifications), then hides (PutEventSelectors,
//! StopLogging). Regenerate with `cargo run --release -p trailscope-synth --bin demo`.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

mod attack;

use crate::{delivery_key, event_json, write_delivery, Actor, Call, JsonOut, Rng};
use attack::attack;

pub const PROD: &str = "111122223333";
pub const DEV: &str = "444455556666";
pub const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "us-west-2"];
/// 2024-05-01T00:00:00Z
pub const START: i64 = 1_714_521_600_000;
const HOUR: i64 = 3_600_000;
const MINUTE: i64 = 60_000;

/// The attacker's address and tooling.
pub const ATTACKER_IP: &str = "185.220.101.47";
const ATTACKER_AGENT: &str =
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off";
/// The leaked key.
pub const CI_KEY: &str = "AKIAQWX4CEJ7DPGDVQ5Z";
const CI_IPS: [&str; 2] = ["3.91.22.14", "54.210.33.7"];
const CI_AGENT: &str = "aws-cli/2.13.25 Python/3.11.6 Linux/5.15.0-1049-aws exe/x86_64.ubuntu.22 prompt/off command/ecs.update-service";
/// When the attack starts: 2024-05-02T14:02:11Z.
pub const ATTACK_START: i64 = START + 38 * HOUR + 2 * MINUTE + 11_000;

struct Event {
    account: &'static str,
    region: &'static str,
    time: i64,
    json: String,
}

struct Writer {
    rng: Rng,
    events: Vec<Event>,
}

/// What one call needs beyond the defaults.
struct Spec<'a> {
    account: &'static str,
    region: &'static str,
    time: i64,
    source: &'a str,
    name: &'a str,
    actor: &'a Actor,
    ip: &'a str,
    agent: &'a str,
    read_only: bool,
    error: Option<(&'a str, String)>,
    request: String,
    response: String,
    /// When the caller's role session began, if known.
    session_created: Option<i64>,
}

impl Writer {
    /// Writes one call. In its request and response, `{now}` becomes the call's time and
    /// `{expires}` an hour later, as IAM and STS write them.
    fn call(&mut self, spec: Spec<'_>) {
        let stamp = |text: String| {
            text.replace("{now}", &crate::console_time(spec.time))
                .replace("{expires}", &crate::console_time(spec.time + 3_600_000))
        };
        let call = Call {
            session_created: spec.session_created,
            time: spec.time,
            account: spec.account,
            region: spec.region,
            source: spec.source,
            name: spec.name,
            actor: spec.actor,
            ip: spec.ip,
            agent: spec.agent,
            read_only: Some(spec.read_only),
            error: spec.error,
            request: stamp(spec.request),
            response: stamp(spec.response),
            resources: Vec::new(),
            event_type: if spec.name == "ConsoleLogin" {
                "AwsConsoleSignIn"
            } else {
                "AwsApiCall"
            },
            management: true,
        };
        let json = event_json(&call, &mut self.rng);
        self.events.push(Event {
            account: spec.account,
            region: spec.region,
            time: spec.time,
            json,
        });
    }
}

fn obj(pairs: &[(&str, &str)]) -> String {
    let mut j = JsonOut::new();
    j.open_root();
    for (k, v) in pairs {
        if v.starts_with(['{', '[']) || *v == "true" || *v == "false" || v.parse::<f64>().is_ok() {
            j.raw(k, v);
        } else {
            j.str(k, v);
        }
    }
    j.close();
    j.finish()
}

fn ci_user() -> Actor {
    Actor::IamUser {
        name: "ci-deploy".into(),
        key: CI_KEY.into(),
        console: false,
    }
}

/// Writes the demo under `root` (the S3 layout: `AWSLogs/ACCOUNT/CloudTrail/REGION/...`).
pub fn generate(root: &Path) -> io::Result<usize> {
    let mut w = Writer {
        rng: Rng::new(20_240_502),
        events: Vec::new(),
    };
    let people = background(&mut w);
    attack(&mut w);
    sso_sign_ins(&mut w, &people);
    // One delivery file per account, region and quarter hour, records unsorted.
    let mut files: BTreeMap<(&str, &str, i64), Vec<String>> = BTreeMap::new();
    let mut events = std::mem::take(&mut w.events);
    events.sort_by_key(|e| e.time);
    let total = events.len();
    for event in events {
        let window = event.time - event.time.rem_euclid(15 * MINUTE);
        files
            .entry((event.account, event.region, window))
            .or_default()
            .push(event.json);
    }
    for ((account, region, window), mut records) in files {
        // CloudTrail promises no order inside a file.
        for i in (1..records.len()).rev() {
            let j = w.rng.below(i + 1);
            records.swap(i, j);
        }
        let key = delivery_key(account, region, window + 5 * MINUTE, &mut w.rng);
        write_delivery(root, &key, &records)?;
    }
    Ok(total)
}

/// Where each engineer works from: two offices on IPv4, two home connections on IPv6.
const PEOPLE_IPS: [&str; 4] = [
    "81.2.69.140",
    "81.2.69.147",
    "2001:db8:85a3:4d21:7a2f:e0c8:31b5:9c04",
    "2001:db8:1f::2a",
];

/// The services a machine identity calls: a node role, a function's role and a data
/// pipeline, and AWS services acting on their own (those read only). People and the CI
/// user call anything.
fn services_of(actor: &Actor) -> Option<&'static [&'static str]> {
    let name = match actor {
        Actor::Role {
            role,
            console: false,
            ..
        } => role.as_str(),
        Actor::Service(service) => service.as_str(),
        _ => return None,
    };
    Some(match name {
        "eks-node-role" => &[
            "ec2.amazonaws.com",
            "ecr.amazonaws.com",
            "logs.amazonaws.com",
            "s3.amazonaws.com",
        ],
        "lambda-orders-exec" => &[
            "dynamodb.amazonaws.com",
            "sqs.amazonaws.com",
            "sns.amazonaws.com",
            "kms.amazonaws.com",
            "logs.amazonaws.com",
        ],
        "DataPipelineRole" => &[
            "s3.amazonaws.com",
            "glue.amazonaws.com",
            "athena.amazonaws.com",
            "kinesis.amazonaws.com",
        ],
        "autoscaling.amazonaws.com" => &["ec2.amazonaws.com", "elasticloadbalancing.amazonaws.com"],
        "config.amazonaws.com" => &[
            "ec2.amazonaws.com",
            "s3.amazonaws.com",
            "iam.amazonaws.com",
            "rds.amazonaws.com",
            "lambda.amazonaws.com",
        ],
        "cloudformation.amazonaws.com" => &[
            "ec2.amazonaws.com",
            "lambda.amazonaws.com",
            "s3.amazonaws.com",
            "sqs.amazonaws.com",
            "sns.amazonaws.com",
        ],
        "ecs-tasks.amazonaws.com" => &[
            "ecr.amazonaws.com",
            "logs.amazonaws.com",
            "secretsmanager.amazonaws.com",
            "ssm.amazonaws.com",
        ],
        _ => return None,
    })
}

/// Calls that detection rules rate critical or that tamper with logging and identity: the
/// background never makes them, so the detections view leads with the attack.
const ALARMING: [&str; 14] = [
    "ScheduleKeyDeletion",
    "DisableKey",
    "DeleteLogGroup",
    "PutBucketAcl",
    "PutBucketPolicy",
    "StopLogging",
    "DeleteTrail",
    "UpdateTrail",
    "PutEventSelectors",
    "DetachRolePolicy",
    "GetFederationToken",
    "CreateUser",
    "CreateAccessKey",
    "AttachUserPolicy",
];

/// An engineer's role session in one account, as IAM Identity Center made it.
struct Person {
    account: &'static str,
    actor: Actor,
    ip: &'static str,
}

/// Three days of ordinary work: engineers through SSO, CI pipelines, services, errors.
/// Returns the engineers' sessions, whose sign-ins [`sso_sign_ins`] writes.
fn background(w: &mut Writer) -> Vec<Person> {
    let people = [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dave@example.com",
    ];
    let mut actors: Vec<(&'static str, Actor, Vec<String>, &'static str)> = Vec::new();
    for (i, person) in people.iter().enumerate() {
        for account in [PROD, DEV] {
            actors.push((
                account,
                Actor::Role {
                    role: if i == 0 {
                        "AWSReservedSSO_AdministratorAccess_7c1a5e3f2b9d4e61".into()
                    } else {
                        "AWSReservedSSO_PowerUserAccess_1f2e3d4c5b6a7980".into()
                    },
                    session: (*person).into(),
                    key: format!("ASIA{}", w.rng.upper(16)),
                    issuer_principal: format!("AROA{}", super::pseudo_id(person)),
                    mfa: false,
                    console: true,
                },
                vec![PEOPLE_IPS[i].to_string()],
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            ));
        }
    }
    actors.push((
        PROD,
        ci_user(),
        CI_IPS.iter().map(|s| s.to_string()).collect(),
        CI_AGENT,
    ));
    actors.push((
        DEV,
        Actor::IamUser {
            name: "terraform".into(),
            key: "AKIAV7RZQ2XG5N3LTE8K".into(),
            console: false,
        },
        vec!["3.91.22.14".into()],
        "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0",
    ));
    for account in [PROD, DEV] {
        for role in ["eks-node-role", "lambda-orders-exec", "DataPipelineRole"] {
            actors.push((
                account,
                Actor::Role {
                    role: role.into(),
                    session: format!("i-0{}", w.rng.hex(16)),
                    key: format!("ASIA{}", w.rng.upper(16)),
                    issuer_principal: format!("AROA{}", super::pseudo_id(role)),
                    mfa: false,
                    console: false,
                },
                vec![format!(
                    "10.0.{}.{}",
                    w.rng.below(255),
                    1 + w.rng.below(254)
                )],
                "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64",
            ));
        }
        for service in [
            "autoscaling.amazonaws.com",
            "config.amazonaws.com",
            "cloudformation.amazonaws.com",
            "ecs-tasks.amazonaws.com",
        ] {
            actors.push((
                account,
                Actor::Service(service.into()),
                vec![service.into()],
                service,
            ));
        }
    }
    let people: Vec<Person> = actors
        .iter()
        .filter(|(_, actor, _, _)| matches!(actor, Actor::Role { console: true, .. }))
        .map(|(account, actor, ips, _)| Person {
            account,
            actor: actor.clone(),
            ip: PEOPLE_IPS
                .iter()
                .find(|ip| **ip == ips[0])
                .copied()
                .unwrap_or(PEOPLE_IPS[0]),
        })
        .collect();
    let catalogue = super::CATALOGUE;
    for hour in 0..72 {
        let local = (hour % 24) as usize;
        let busy = (8..19).contains(&local);
        for (account, actor, ips, agent) in &actors {
            let human = matches!(actor, Actor::Role { console: true, .. });
            let rate = match actor {
                Actor::Service(_) => 14,
                Actor::Role { console: false, .. } => 30,
                _ if human && !busy => 0,
                _ if human => 20,
                Actor::IamUser { name, .. } if name == "ci-deploy" => {
                    if busy {
                        24
                    } else {
                        3
                    }
                }
                _ => {
                    if busy {
                        16
                    } else {
                        2
                    }
                }
            };
            let count = rate / 2 + w.rng.below(rate + 1);
            if human && busy && w.rng.chance(0.15) {
                let t = START + hour * HOUR + w.rng.below(3_600_000) as i64;
                let actor = actor.clone();
                w.call(Spec {
                    account,
                    region: "us-east-1",
                    time: t,
                    source: "signin.amazonaws.com",
                    name: "ConsoleLogin",
                    actor: &actor,
                    ip: &ips[0],
                    agent,
                    read_only: false,
                    error: None,
                    request: "null".into(),
                    response: obj(&[("ConsoleLogin", "Success")]),
                    session_created: None,
                });
            }
            for _ in 0..count {
                let t = START + hour * HOUR + w.rng.below(3_600_000) as i64;
                let (source, reads, writes) = match actor {
                    Actor::IamUser { name, .. } if name == "ci-deploy" => *w.rng.pick(&[
                        catalogue[13], // ecr
                        catalogue[14], // ecs
                        catalogue[9],  // cloudformation
                        catalogue[0],  // s3
                    ]),
                    _ => match services_of(actor) {
                        Some(services) => {
                            let source = *w.rng.pick(services);
                            *catalogue
                                .iter()
                                .find(|(s, _, _)| *s == source)
                                .unwrap_or(&catalogue[0])
                        }
                        None => *w.rng.pick(catalogue),
                    },
                };
                if source == "signin.amazonaws.com" {
                    continue;
                }
                let read_only = writes.is_empty()
                    || (!reads.is_empty() && w.rng.chance(0.8))
                    || (matches!(actor, Actor::Service(_)) && !reads.is_empty())
                    // Only the administrator changes the organization.
                    || (source == "organizations.amazonaws.com"
                        && !matches!(actor, Actor::Role { role, .. } if role.contains("AdministratorAccess")));
                let mut name = if read_only {
                    *w.rng.pick(reads)
                } else {
                    *w.rng.pick(writes)
                };
                // What an ordinary day does not do: the alarming writes are the attack's.
                if ALARMING.contains(&name) {
                    name = reads.first().copied().unwrap_or(name);
                }
                let region = if w.rng.chance(0.7) {
                    "us-east-1"
                } else {
                    *w.rng.pick(&REGIONS)
                };
                let error = w.rng.chance(0.04).then(|| {
                    let (code, message) = *w.rng.pick(&super::ERRORS[..4]);
                    (
                        code,
                        message
                            .replace("{arn}", "the caller")
                            .replace("{action}", name)
                            .replace("{resource}", "*")
                            .replace("{name}", "app"),
                    )
                });
                let ip = w.rng.pick(ips).clone();
                let request = crate::bulk::request_body(&mut w.rng, source, name, region);
                let response = if error.is_some() {
                    "null".into()
                } else {
                    crate::bulk::response_body(&mut w.rng, name, read_only)
                };
                let actor = actor.clone();
                w.call(Spec {
                    account,
                    region,
                    time: t,
                    source,
                    name,
                    actor: &actor,
                    ip: &ip,
                    agent,
                    read_only,
                    error,
                    request,
                    response,
                    session_created: None,
                });
            }
        }
    }
    people
}

/// Each engineer's sign-in through IAM Identity Center, minutes before their first day's
/// work: `GetRoleCredentials` in the production account (where Identity Center lives; it
/// logs no key) and the member account's `AssumeRoleWithSAML`, which names the session's key.
/// Written last, so the rest of the demo draws the same numbers as before.
#[rustfmt::skip]
fn sso_sign_ins(w: &mut Writer, people: &[Person]) {
    const BROWSER: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
    for (i, person) in people.iter().enumerate() {
        let Actor::Role { role, session, key, .. } = &person.actor else {
            continue;
        };
        let permission_set = role
            .strip_prefix("AWSReservedSSO_")
            .and_then(|rest| rest.rsplit_once('_'))
            .map_or(role.as_str(), |(name, _)| name);
        let t = START + 8 * HOUR - 20 * MINUTE + i as i64 * 97_000;
        let user_id = format!("9067642ac7-{}", super::pseudo_id(session).to_lowercase());
        let center = Actor::IdentityCenter { user_id, user_name: session.clone() };
        w.call(Spec {
            account: PROD, region: "us-east-1", time: t, source: "sso.amazonaws.com",
            name: "GetRoleCredentials", actor: &center, ip: person.ip, agent: BROWSER,
            read_only: true, error: None,
            // An account id is a string in CloudTrail (obj would write it as a number).
            request: format!(r#"{{"accountId":"{}","roleName":"{permission_set}"}}"#, person.account),
            response: "null".into(), session_created: None,
        });
        let account = person.account;
        let saml = Actor::Saml { user: session.clone(), key: String::new() };
        let role_arn = format!("arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/{role}");
        w.call(Spec {
            account, region: "us-east-1", time: t + 2_000, source: "sts.amazonaws.com",
            name: "AssumeRoleWithSAML", actor: &saml, ip: person.ip, agent: BROWSER,
            read_only: true, error: None,
            request: obj(&[
                ("roleArn", &role_arn),
                ("principalArn", &format!("arn:aws:iam::{account}:saml-provider/AWSSSO_5f2c8a1e9b3d7046_DO_NOT_DELETE")),
                ("roleSessionName", session),
                ("durationSeconds", "43200"),
            ]),
            response: format!(r#"{{"credentials":{{"accessKeyId":"{key}","sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE","expiration":"{{expires}}"}},"assumedRoleUser":{{"assumedRoleId":"AROA{}:{session}","arn":"arn:aws:sts::{account}:assumed-role/{role}/{session}"}},"subject":"{session}","subjectType":"persistent","issuer":"https://portal.sso.us-east-1.amazonaws.com/saml/assertion/OTA2NzY0MmFjNw","audience":"https://signin.aws.amazon.com/saml"}}"#, super::pseudo_id(role)),
            session_created: None,
        });
    }
}
