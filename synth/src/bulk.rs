//! The bulk data set of the benchmarks: millions of background events on all cores.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::catalogue::{CATALOGUE, ERRORS};
use crate::{delivery_key, event_json, pseudo_id, write_delivery, Actor, Call, JsonOut, Rng};

/// Settings of a synthetic data set.
#[derive(Debug, Clone)]
pub struct Config {
    pub events: usize,
    pub seed: u64,
    /// Events per delivery file, on average.
    pub per_file: usize,
    pub start: i64,
    /// Days the events spread over; 0: five minutes per round of delivery files.
    pub days: u32,
    /// Principals keep to habits, as people and programs do: each calls its own dozen
    /// APIs (and rarely another), from its own addresses, with one or two agents.
    pub habits: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            events: 100_000,
            seed: 1,
            per_file: 172,
            // 2024-05-01T00:00:00Z
            start: 1_714_521_600_000,
            days: 0,
            habits: false,
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
pub(crate) fn request_body(rng: &mut Rng, source: &str, name: &str, region: &str) -> String {
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
        // EC2's Describe calls take a filter set; other services' reads do not.
        if source == "ec2.amazonaws.com" && rng.chance(0.4) {
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
        if name == "DescribeInstances" && rng.chance(0.3) {
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

/// One principal of the background: who, its addresses, and (with habits) its calls
/// (source, name, read-only) and agents.
pub(crate) struct Player {
    pub actor: Actor,
    pub addresses: Vec<String>,
    calls: Vec<(&'static str, &'static str, bool)>,
    agents: Vec<&'static str>,
}

/// The principals of the background for `config` (the same for the same seed).
pub(crate) fn players(config: &Config) -> Vec<Player> {
    let mut rng = Rng::new(config.seed);
    let mut habits = Rng::new(config.seed.wrapping_mul(104_729));
    cast(&mut rng)
        .into_iter()
        .map(|actor| {
            let addresses = (0..1 + rng.below(4)).map(|_| random_ip(&mut rng)).collect();
            let (mut calls, mut agents) = (Vec::new(), Vec::new());
            if config.habits {
                for _ in 0..12 {
                    calls.push(random_call(&mut habits));
                }
                for _ in 0..1 + habits.below(2) {
                    agents.push(*habits.pick(&AGENTS));
                }
            }
            Player {
                actor,
                addresses,
                calls,
                agents,
            }
        })
        .collect()
}

/// A call drawn from the whole catalogue: (source, name, read-only).
fn random_call(rng: &mut Rng) -> (&'static str, &'static str, bool) {
    let (source, reads, writes) = *rng.pick(CATALOGUE);
    let read_only = writes.is_empty() || (!reads.is_empty() && rng.chance(0.8));
    let name = if read_only {
        *rng.pick(reads)
    } else {
        *rng.pick(writes)
    };
    (source, name, read_only)
}

/// Generates the events of one delivery file (unsorted, as CloudTrail delivers them).
fn delivery(
    config: &Config,
    file: usize,
    count: usize,
    window: i64,
    actors: &[Player],
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
    // The keys STS calls issue come from a generator of their own, so every other value is
    // what it was before they were added.
    let mut issuing = Rng::new(config.seed.wrapping_mul(7_919).wrapping_add(file as u64));
    let session_keys: Vec<&str> = actors
        .iter()
        .filter_map(|p| match &p.actor {
            Actor::Role { key, .. } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    let mut records = Vec::with_capacity(count);
    for _ in 0..count {
        let (source, name, read_only, player) = if config.habits {
            let player = rng.pick(actors);
            let (source, name, read_only) = match player.calls.len() {
                n if n > 0 && !rng.chance(0.01) => player.calls[rng.below(n)],
                _ => random_call(&mut rng),
            };
            (source, name, read_only, player)
        } else {
            let (source, name, read_only) = random_call(&mut rng);
            (source, name, read_only, rng.pick(actors))
        };
        let (actor, addresses) = (&player.actor, &player.addresses);
        let elsewhere = if config.habits { 0.995 } else { 0.95 };
        let ip = match actor {
            Actor::Service(s) => s.clone(),
            _ if rng.chance(0.03) => "AWS Internal".into(),
            // Mostly the principal's own few addresses, sometimes anywhere.
            _ if rng.chance(elsewhere) => rng.pick(addresses).clone(),
            _ => random_ip(&mut rng),
        };
        let agent = match actor {
            Actor::Service(s) => s.as_str(),
            _ if !player.agents.is_empty() => *rng.pick(&player.agents),
            _ => rng.pick(&AGENTS),
        };
        let failing = if config.habits { 0.02 } else { 0.05 };
        let error = rng.chance(failing).then(|| {
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
        let request = request_body(&mut rng, source, name, region);
        let response = if error.is_some() {
            "null".to_string()
        } else {
            response_body(&mut rng, name, read_only)
        };
        // A successful STS call that hands out credentials names the key of a role session
        // (so credential chains link, as in a real trail).
        let response = match name {
            "AssumeRole"
            | "AssumeRoleWithSAML"
            | "AssumeRoleWithWebIdentity"
            | "GetSessionToken"
            | "GetFederationToken"
                if error.is_none() && !session_keys.is_empty() =>
            {
                format!(
                    r#"{{"credentials":{{"accessKeyId":"{}","sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE","expiration":"May 3, 2024 3:02:11 PM"}}}}"#,
                    issuing.pick(&session_keys)
                )
            }
            _ => response,
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
            session_created: None,
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

pub(crate) fn random_ip(rng: &mut Rng) -> String {
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
    let actors = players(config);
    let files = config.events.div_ceil(config.per_file.max(1));
    let per_window = ACCOUNTS.len() * REGIONS.len();
    let stride = match config.days {
        0 => 300_000,
        days => (i64::from(days) * 86_400_000 / files.div_ceil(per_window).max(1) as i64).max(1),
    };
    let results = parallel(
        files,
        || Ok(Summary::default()),
        |summary: &mut io::Result<Summary>, file| {
            let Ok(sum) = summary else { return };
            let first = file * config.per_file;
            let count = config.per_file.min(config.events.saturating_sub(first));
            let window = config.start + (file / per_window) as i64 * stride;
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

/// Runs `each` over `0..items` on every core, each worker with its own state.
fn parallel<S: Send>(
    items: usize,
    make: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, usize) + Sync,
) -> Vec<S> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = make();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= items {
                break state;
            }
            each(&mut state, i);
        }
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
