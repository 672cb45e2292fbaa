//! The caller's tool and operating system, read from the `userAgent` an event carries: one
//! table, first match wins, each entry with a user agent it classifies and where that
//! example comes from: the shared public fixtures (the Stratus Red Team detonations, the
//! grycap and trailscraper trails), the built-in demo (which copies real formats), or, for
//! tools none of those hold, the form the tool's SDK writes (said so: `format`).
//! Tools that do not announce themselves are their SDK here: Pacu replaces the agent on
//! Kali, Parrot and Pentoo with an ordinary one, CloudFox calls through the plain Go SDK.
//! An event made with a console session's credentials is `console`, and one an AWS service
//! made on a principal's behalf is `aws-service`, whatever its agent says; both are read
//! from the event, not from this table.

/// How a rule's text is looked for in the agent (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Find {
    /// The agent starts with it.
    Start,
    /// The agent holds it anywhere.
    Within,
    /// The agent is it.
    Whole,
    /// The agent ends with it.
    End,
}

/// One rule of the table.
#[derive(Debug, Clone, Copy)]
pub struct ToolRule {
    pub tool: &'static str,
    pub find: Find,
    pub text: &'static str,
    /// A user agent it classifies.
    pub example: &'static str,
    /// Where the example is from: `fixtures`, `demo`, `docs` (the text a public detection
    /// rule watches for: Datadog's Scout Suite rule, Elastic's TruffleHog rule), or `format`
    /// (the tool's own form, not seen in data at hand).
    pub seen: &'static str,
}

const fn rule(
    tool: &'static str,
    find: Find,
    text: &'static str,
    example: &'static str,
) -> ToolRule {
    ToolRule {
        tool,
        find,
        text,
        example,
        seen: "fixtures",
    }
}

impl ToolRule {
    /// This rule with its example from elsewhere than the shared fixtures: `demo`, `docs`
    /// or `format`.
    const fn seen(self, seen: &'static str) -> ToolRule {
        ToolRule { seen, ..self }
    }
}

/// The tools, first match wins: the tools that announce themselves before the SDK they are
/// built on, the SDKs' own tools (the CLI, Terraform, the CDK) before the SDK.
pub const TOOLS: &[ToolRule] = &[
    rule("aws-internal", Find::Whole, "AWS Internal", "AWS Internal").seen("format"),
    rule("aws-internal", Find::Start, "aws-internal/", "aws-internal/3"),
    rule(
        "stratus-red-team",
        Find::Start,
        "stratus-red-team",
        "stratus-red-team_ea782787-a65d-4fc4-9fca-1c97869a9a25",
    ),
    rule(
        "stratus-red-team",
        Find::Within,
        "exec-env/grimoire_",
        "aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 exec-env/grimoire_095724e3-1fa0-4e3e-b68a-e8581d194380 api/sts#1.26.2",
    ),
    rule("scoutsuite", Find::Within, "ScoutSuite", "ScoutSuite").seen("docs"),
    // Prowler's boto3 configuration appends its AWS Partner Network id
    // (`prowler/providers/aws/config.py`, BOTO3_USER_AGENT_EXTRA).
    rule(
        "prowler",
        Find::Within,
        "APN_1826889",
        "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.34.0 APN_1826889",
    )
    .seen("format"),
    rule("trufflehog", Find::Within, "trufflehog", "TruffleHog").seen("docs"),
    rule(
        "cloud-custodian",
        Find::Within,
        "CloudCustodian/",
        "CloudCustodian/0.8.23.2 Python/2.7.12 Linux/4.4.51-40.60.amzn1.x86_64 exec-env/AWS_Lambda_python2.7 Botocore/1.5.43",
    ),
    rule(
        "terraform",
        Find::Within,
        "Terraform/",
        "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0",
    ).seen("demo"),
    rule(
        "cloudformation",
        Find::Whole,
        "cloudformation.amazonaws.com",
        "cloudformation.amazonaws.com",
    ),
    rule("cloudformation", Find::Start, "CloudFormation", "CloudFormation Tools"),
    rule("cdk", Find::Within, "aws-cdk/", "aws-cdk/2.87.0 (node 18.16.0)").seen("format"),
    rule("pulumi", Find::Within, "pulumi", "pulumi-aws/6.0.0").seen("format"),
    rule(
        "cli",
        Find::Within,
        "aws-cli/",
        "aws-cli/2.15.30 Python/3.11.8 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off",
    ),
    rule(
        "powershell",
        Find::Within,
        "AWSPowerShell",
        "AWSPowerShell/4.1.0.0 .NET_Runtime/4.0 .NET_Framework/4.0 OS/Microsoft_Windows_NT_10.0.17763.0 WindowsPowerShell/5.0 ClientSync",
    ).seen("format"),
    rule(
        "sdk-go",
        Find::Start,
        "aws-sdk-go",
        "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64",
    ).seen("demo"),
    rule(
        "sdk-java",
        Find::Start,
        "aws-sdk-java",
        "aws-sdk-java/1.11.205 Mac_OS_X/10.11.6 Java_HotSpot(TM)_64-Bit_Server_VM/25.151-b12 java/1.8.0_151",
    ),
    rule("sdk-js", Find::Start, "aws-sdk-js", "aws-sdk-js/2.1048.0 promise").seen("format"),
    rule("sdk-js", Find::Start, "aws-sdk-nodejs", "aws-sdk-nodejs/2.585.0 linux/v12.14.1").seen("format"),
    rule(
        "sdk-ruby",
        Find::Within,
        "aws-sdk-ruby",
        "OpsWorks aws-sdk-ruby/1.18.0 ruby/1.9.3 x86_64-linux",
    ),
    rule("sdk-dotnet", Find::Start, "aws-sdk-dotnet", "aws-sdk-dotnet-coreclr/3.7.0.0").seen("format"),
    rule("sdk-php", Find::Start, "aws-sdk-php", "aws-sdk-php/3.209.17").seen("format"),
    rule("sdk-rust", Find::Start, "aws-sdk-rust", "aws-sdk-rust/0.56.1 os/linux lang/rust/1.72.0").seen("format"),
    rule(
        "sdk-python",
        Find::Start,
        "Boto3/",
        "Boto3/1.4.4 Python/2.7.10 Darwin/16.6.0 Botocore/1.5.54",
    ),
    rule(
        "sdk-python",
        Find::Start,
        "Boto/",
        "Boto/2.38.0 Python/2.7.12 Linux/4.4.0-75-generic",
    ),
    rule("sdk-python", Find::Start, "Botocore/", "Botocore/1.29.165 Python/3.9.16 Linux/5.10.0").seen("format"),
    rule(
        "console",
        Find::Start,
        "Mozilla/",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    ),
    rule("console", Find::Whole, "console.amazonaws.com", "console.amazonaws.com"),
    rule("console", Find::Whole, "signin.amazonaws.com", "signin.amazonaws.com"),
    rule("console", Find::Start, "AWSBFF ", "AWSBFF BFFiOS/1.19.3 (318) Mobile iPhone OS/10.3.1 iPhone7,2 (4298136528)"),
    rule("aws-service", Find::End, ".amazonaws.com", "elasticbeanstalk.amazonaws.com"),
    rule("aws-service", Find::Whole, "awslambda-worker", "awslambda-worker"),
    rule(
        "curl",
        Find::Start,
        "curl/",
        "curl/7.22.0 (x86_64-pc-linux-gnu) libcurl/7.22.0 OpenSSL/1.0.1 zlib/1.2.3.4 libidn/1.23 librtmp/2.3",
    ),
    rule("postman", Find::Start, "PostmanRuntime/", "PostmanRuntime/7.3.0"),
];

/// The operating systems an agent names, first match wins: a distribution before its
/// kernel.
pub const SYSTEMS: &[(&str, Find, &str)] = &[
    ("kali", Find::Within, "kali"),
    ("parrot", Find::Within, "parrot"),
    ("ios", Find::Within, "iPhone OS"),
    ("android", Find::Within, "Android"),
    ("macos", Find::Within, "Darwin"),
    ("macos", Find::Within, "Mac OS X"),
    ("macos", Find::Within, "Mac_OS_X"),
    ("macos", Find::Within, "macOS"),
    ("windows", Find::Within, "Windows"),
    ("windows", Find::Within, "win32"),
    ("linux", Find::Within, "linux"),
];

/// The tool every agent the table does not know is: it says who it is, in its own words.
pub const OTHER: &str = "other";

fn finds(agent: &str, find: Find, text: &str) -> bool {
    let (agent, text) = (agent.as_bytes(), text.as_bytes());
    let same = |a: &[u8]| a.eq_ignore_ascii_case(text);
    match find {
        Find::Whole => same(agent),
        Find::Start => agent.get(..text.len()).is_some_and(same),
        Find::End => agent
            .len()
            .checked_sub(text.len())
            .is_some_and(|at| same(&agent[at..])),
        Find::Within => agent.windows(text.len().max(1)).any(same),
    }
}

/// The tool `agent` names (`other` when the table knows none), and the operating system,
/// if it names one. An agent in brackets (`[aws-cli/2.15.30 …]`, as some services log
/// them) is read inside them.
pub fn classify(agent: &str) -> (&'static str, Option<&'static str>) {
    let agent = agent.trim();
    let agent = agent
        .strip_prefix('[')
        .and_then(|a| a.strip_suffix(']'))
        .unwrap_or(agent);
    let tool = TOOLS
        .iter()
        .find(|r| finds(agent, r.find, r.text))
        .map_or(OTHER, |r| r.tool);
    let system = SYSTEMS
        .iter()
        .find(|(_, find, text)| finds(agent, *find, text))
        .map(|(os, _, _)| *os);
    (tool, system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_classifies_its_own_example() {
        for r in TOOLS {
            assert_eq!(classify(r.example).0, r.tool, "{}", r.example);
        }
    }

    /// Real agents from the shared public fixtures and the demo, with what they are.
    const REAL: &[(&str, &str, Option<&str>)] = &[
        ("signin.amazonaws.com", "console", None),
        ("lambda.amazonaws.com", "aws-service", None),
        ("Boto/2.38.0 Python/2.7.12 Linux/4.4.0-75-generic", "sdk-python", Some("linux")),
        ("elasticbeanstalk.amazonaws.com", "aws-service", None),
        ("elasticmapreduce.amazonaws.com", "aws-service", None),
        ("Boto/2.42.0 Python/2.7.6 Linux/3.13.0-36-generic", "sdk-python", Some("linux")),
        ("opsworks.amazonaws.com", "aws-service", None),
        ("OpsWorks aws-sdk-ruby/1.18.0 ruby/1.9.3 x86_64-linux", "sdk-ruby", Some("linux")),
        ("aws-internal/3", "aws-internal", None),
        ("Boto3/1.4.4 Python/2.7.10 Darwin/16.6.0 Botocore/1.5.54", "sdk-python", Some("macos")),
        ("cloudformation.amazonaws.com", "cloudformation", None),
        ("autoscaling.amazonaws.com", "aws-service", None),
        ("aws-cli/1.3.13 Python/2.7.3 Linux/3.2.0-63-virtual", "cli", Some("linux")),
        ("aws-sdk-go/1.4.10 (go1.7.3; linux; amd64)", "sdk-go", Some("linux")),
        (
            "CloudCustodian/0.8.23.2 Python/2.7.12 Linux/4.4.51-40.60.amzn1.x86_64 exec-env/AWS_Lambda_python2.7 Botocore/1.5.43",
            "cloud-custodian",
            Some("linux"),
        ),
        ("stratus-red-team_ea782787-a65d-4fc4-9fca-1c97869a9a25", "stratus-red-team", None),
        ("Boto/2.29.1 Python/2.7.3 Linux/3.2.0-63-virtual", "sdk-python", Some("linux")),
        ("aws-cli/2.15.30 Python/3.11.8 Linux/6.6.9 exe/x86_64 prompt/off", "cli", Some("linux")),
        ("awslambda-worker", "aws-service", None),
        ("aws-cli/1.4.3 Python/2.7.3 Linux/3.2.0-4-amd64", "cli", Some("linux")),
        ("aws-sdk-java/unknown-version", "sdk-java", None),
        ("Boto3/1.4.4 Python/2.7.6 Linux/3.13.0-36-generic Botocore/1.5.39", "sdk-python", Some("linux")),
        (
            "[CloudCustodian/0.8.23.2 Python/2.7.12 Linux/4.4.51-40.60.amzn1.x86_64 exec-env/AWS_Lambda_python2.7 Botocore/1.5.43]",
            "cloud-custodian",
            Some("linux"),
        ),
        ("ec2.amazonaws.com", "aws-service", None),
        ("marketplace.amazonaws.com", "aws-service", None),
        ("support.amazonaws.com", "aws-service", None),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/58.0.3029.110 Safari/537.36",
            "console",
            Some("windows"),
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/58.0.3029.110 Chrome/58.0.3029.110 Safari/537.36",
            "console",
            Some("linux"),
        ),
        ("ec2-frontend-api.amazonaws.com", "aws-service", None),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/600.1.17 (KHTML, like Gecko) Version/7.1 Safari/537.85.10",
            "console",
            Some("macos"),
        ),
        (
            "[aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1 md/arch#x86_64 command/s3.cp]",
            "cli",
            Some("linux"),
        ),
        ("aws-cli/1.11.94 Python/3.6.1 Linux/4.4.51-40.60.amzn1.x86_64 botocore/1.5.57", "cli", Some("linux")),
        (
            "AWSBFF BFFiOS/1.19.3 (318) Mobile iPhone OS/10.3.1 iPhone7,2 (4298136528)",
            "console",
            Some("ios"),
        ),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.13; rv:58.0) Gecko/20100101 Firefox/58.0", "console", Some("macos")),
        ("PostmanRuntime/7.3.0", "postman", None),
        ("aws-cli/1.3.23 Python/2.7.5 Darwin/13.4.0", "cli", Some("macos")),
        (
            "aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 exec-env/grimoire_095724e3-1fa0-4e3e-b68a-e8581d194380 api/sts#1.26.2",
            "stratus-red-team",
            Some("linux"),
        ),
        ("config.amazonaws.com", "aws-service", None),
        ("console.amazonaws.com", "console", None),
        (
            "curl/7.22.0 (x86_64-pc-linux-gnu) libcurl/7.22.0 OpenSSL/1.0.1 zlib/1.2.3.4 libidn/1.23 librtmp/2.3",
            "curl",
            Some("linux"),
        ),
        ("CloudFormation Tools", "cloudformation", None),
        ("Jersey/${project.version} (HttpUrlConnection 1.8.0_144)", "other", None),
        (
            "aws-sdk-java/2.18.22 Linux/4.14.255-285-225.501.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/11.0.14.1+10-LTS Java/11.0.14.1 kotlin/1.4.20-release-308 (1.4.20) vendor/Amazon.com_Inc.",
            "sdk-java",
            Some("linux"),
        ),
        ("example-user-agent-string", "other", None),
        ("aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64", "sdk-go", Some("linux")),
        (
            "aws-cli/2.13.25 Python/3.11.6 Linux/5.15.0-1049-aws exe/x86_64.ubuntu.22 prompt/off command/ecs.update-service",
            "cli",
            Some("linux"),
        ),
        (
            "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0",
            "terraform",
            None,
        ),
        ("aws-cli/2.15.30 Python/3.11.8 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off", "cli", Some("kali")),
        ("ecs-tasks.amazonaws.com", "aws-service", None),
    ];

    #[test]
    fn real_agents_are_classified() {
        assert!(REAL.len() >= 40);
        for &(agent, tool, os) in REAL {
            assert_eq!(classify(agent), (tool, os), "{agent}");
        }
    }
}
