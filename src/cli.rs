//! The command line: clap definitions, turned into validated settings by `main`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "A terminal explorer for AWS CloudTrail logs you have downloaded.";

const LONG_ABOUT: &str = "\
A terminal explorer for AWS CloudTrail logs you have downloaded (an `aws s3 sync` of a trail
bucket, an evidence folder, a console export). It loads everything into memory, then lets you
browse the timeline, fuzzy-search eventName, filter on any field and step through one
principal's activity. The shipped Sigma rules (SigmaHQ, Suzaku) run over every load and mark
what they hit. With no PATH it opens a built-in demo investigation.";

const EXAMPLES: &str = "\
Examples:
  trailscope                                 explore the built-in demo
  trailscope ~/evidence/AWSLogs              explore a downloaded trail
  trailscope query logs/ -w 'crtacckey -error:*' -o table
  trailscope stats logs/ --by principal --top 10
  trailscope check logs/
  trailscope detect logs/ --min-level high   what the Sigma rules found
  zcat file.json.gz | trailscope query - --count
  NO_COLOR=1 trailscope logs/                no colour (or --theme mono / light)

Filter language (`-w` and the explorer's `/`):
  crtacc                   fuzzy eventName (finds CreateAccessKey)
  185.220.101.47           a pasted address, key id, ARN, account or @-address: its field
  eventName:ConsoleLogin and errorCode:*   CloudTrail's own names; and joins
  name:Create*             whole value, case-insensitive, * wildcard
  principal:alice ip:203.0.113.0/24 -error:*
  level:>=high rule:*Logging*   what the detection rules hit
  source:iam or source:sts      (a b) groups, -term or `not term` negates
  \"AdministratorAccess\"    substring anywhere in the event's JSON
  requestParameters.bucketName:prod-*     any dotted JSON path
  after:2024-05-03 before:2024-05-04T12:00:00Z after:-2h";

#[derive(Debug, Parser)]
#[command(
    name = "trailscope",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// What to open, and the filter to open it with.
    #[command(flatten)]
    pub selection: Selection,

    #[command(flatten)]
    pub load: LoadArgs,

    /// Colours of the explorer: `auto` is `mono` when NO_COLOR is set, `light` when
    /// COLORFGBG says the background is light, `dark` otherwise.
    #[arg(long, value_enum, default_value_t = ThemeArg::Auto)]
    pub theme: ThemeArg,

    /// Watch the folders and read in files as they arrive (a sync running beside the
    /// explorer); a file still being written waits until it is whole.
    #[arg(long)]
    pub follow: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeArg {
    Auto,
    Dark,
    Light,
    /// No colour: selection, focus and errors in reverse video, bold and signs.
    Mono,
}

#[derive(Debug, Args, Clone)]
pub struct LoadArgs {
    /// No progress on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Read the built-in demo investigation (headless commands need a PATH or this).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Keep every copy of an event delivered more than once (by default copies with the
    /// same event JSON are shown once and counted).
    #[arg(long, global = true)]
    pub no_dedup: bool,

    /// Largest size one input may inflate to (a guard against gzip bombs): 500M, 2G... at
    /// most 4G.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size, global = true)]
    pub max_file_size: u64,

    /// Sigma rules of your own (a .yml file or a folder of them), besides the shipped
    /// SigmaHQ and Suzaku CloudTrail rules; may be given several times.
    #[arg(long = "rules", value_name = "PATH", global = true)]
    pub rules: Vec<PathBuf>,

    /// Leave out the shipped rules (only --rules run).
    #[arg(long, global = true)]
    pub no_default_rules: bool,

    /// Rule levels of your own, in Hayabusa's level_tuning.txt format (`id,new_level`
    /// lines), over the shipped tuning that makes hunting rules informational; may be given
    /// several times.
    #[arg(long = "level-tuning", value_name = "FILE", global = true)]
    pub level_tuning: Vec<PathBuf>,

    /// Show every rule at the level its author gave it (no tuning).
    #[arg(long, global = true)]
    pub rule_levels: bool,

    /// The case file: marks, notes, the filter and its history, kept between sessions
    /// (default: one per set of inputs under $XDG_DATA_HOME/trailscope/cases/).
    #[arg(long = "case", value_name = "FILE", global = true)]
    pub case: Option<PathBuf>,

    /// Keep no case file.
    #[arg(long, global = true, conflicts_with = "case")]
    pub no_case: bool,

    /// Where saved indexes are kept (default $XDG_CACHE_HOME/trailscope/): a later run on
    /// the same unchanged files opens the index instead of parsing them.
    #[arg(long, value_name = "DIR", global = true)]
    pub index_dir: Option<PathBuf>,

    /// Neither open nor save an index: parse every file.
    #[arg(long, global = true, conflicts_with = "index_dir")]
    pub no_index_cache: bool,

    /// MaxMind databases (GeoLite2 ASN, City, Country; a folder of .mmdb files or one) for
    /// the asn:, org:, country:, city: and travel: fields (default: the .mmdb files in
    /// $XDG_DATA_HOME/trailscope/geoip/; none there costs nothing).
    #[arg(long, value_name = "PATH", global = true)]
    pub geoip: Option<PathBuf>,

    /// AWS's published ranges (ip-ranges.json, as saved from ip-ranges.amazonaws.com) for
    /// iptype:aws (default: $XDG_DATA_HOME/trailscope/ip-ranges.json, if there).
    #[arg(long, value_name = "FILE", global = true)]
    pub ip_ranges: Option<PathBuf>,

    /// Tor exit addresses (the bulk exit list, or the exit-addresses format) for iptype:tor
    /// (default: $XDG_DATA_HOME/trailscope/tor-exits.txt, if there).
    #[arg(long, value_name = "FILE", global = true)]
    pub tor_exits: Option<PathBuf>,
}

impl LoadArgs {
    /// The lookup files, opened.
    pub fn places(&self) -> std::sync::Arc<trailscope::places::Places> {
        std::sync::Arc::new(trailscope::places::Places::open(
            &trailscope::places::Given {
                geoip: self.geoip.clone(),
                ip_ranges: self.ip_ranges.clone(),
                tor_exits: self.tor_exits.clone(),
            },
        ))
    }

    /// Where saved indexes go, unless they are turned off.
    pub fn index_dir(&self) -> Option<PathBuf> {
        if self.no_index_cache {
            return None;
        }
        self.index_dir
            .clone()
            .or_else(trailscope::load::cache::default_dir)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print matching events in time order.
    #[command(after_help = "\
Examples:
  trailscope query logs/ -w 'principal:alice' -o table
  trailscope query logs/ -w 'name:CreateAccessKey' --count
  trailscope query logs/ -w 'error:AccessDenied*' | jq -r .sourceIPAddress
  trailscope query logs/ -w 'after:-2h' -o json > last-two-hours.json
  trailscope query logs/ -o csv > events.csv
  trailscope query logs/ -o table --columns time,name,principal,sourceidentity")]
    Query(QueryArgs),

    /// Count events by the value of a field, most frequent first.
    #[command(after_help = "\
Examples:
  trailscope stats logs/ --by name --top 20
  trailscope stats logs/ -w 'error:*' --by principal
  trailscope stats logs/ --by requestParameters.bucketName -o json
  trailscope stats logs/ --by ip -o csv > ips.csv")]
    Stats(StatsArgs),

    /// An overview of the events: time span, errors, and per field (principal, origin, key,
    /// ip, agent, tool, source, name, region, account, error) the top values with their counts,
    /// error share, first and last seen.
    #[command(after_help = "\
Examples:
  trailscope summary logs/
  trailscope summary logs/ -w 'origin:ci-deploy' --top 3
  trailscope summary logs/ -w 'after:2024-05-02' -o json | jq '.fields[] | select(.field==\"ip\")'")]
    Summary(SummaryArgs),

    /// Check the log files against CloudTrail's digest files: modified, missing and
    /// uncovered files, the digest chain, and signatures given the public keys. Exit 4 when
    /// an input does not verify, or when there is no digest to verify against.
    #[command(after_help = "\
Examples:
  trailscope verify evidence/AWSLogs/
  aws cloudtrail list-public-keys --start-time 2024-05-01 > keys.json
  trailscope verify evidence/ --public-keys keys.json")]
    Verify(VerifyArgs),

    /// Print the filter as one SQL SELECT for Athena, CloudTrail Lake, Spark or DuckDB, to
    /// run where the trail is; what does not compile exactly is said on stderr.
    #[command(after_help = "\
Examples:
  trailscope sql -w 'principal:ci-deploy -error:*' --dialect athena --from 2024-05-01 --to 2024-05-03
  trailscope sql --ddl --location s3://bucket/AWSLogs/111122223333/CloudTrail/
  trailscope sql -w 'origin:x' ...                      (refused: chains need trailscope's index)
  trailscope sql -w 'crtacc ip:203.0.113.0/24' --dialect duckdb --location 'trail/**/*.json.gz' trail/
  trailscope sql -w 'name:StopLogging' --dialect spark --location 's3://bucket/AWSLogs/' --script > job.py")]
    Sql(SqlArgs),

    /// Run the Sigma rules over the events: per rule its level, hits, first and last hit.
    #[command(after_help = "\
Examples:
  trailscope detect logs/
  trailscope detect logs/ --min-level high -o json
  trailscope detect logs/ --events -o jsonl > timeline.jsonl     (one line per hit event)
  trailscope detect logs/ --rules my-rules/ --no-default-rules
  trailscope query logs/ -w 'level:>=high' -o table
  trailscope stats logs/ --by rule")]
    Detect(DetectArgs),

    /// Report, per input, the shape found, events, digests and problems.
    #[command(after_help = "\
Examples:
  trailscope check logs/
  trailscope check broken.json.gz; echo \"exit $?\"")]
    Check(CheckArgs),

    /// List the saved indexes (the trails that reopen without parsing), or remove them.
    #[command(after_help = "\
Examples:
  trailscope cache
  trailscope cache --clear
  trailscope cache --index-dir /scratch/trailscope-index")]
    Cache(CacheArgs),

    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  trailscope completions bash > ~/.local/share/bash-completion/completions/trailscope
  trailscope completions zsh > ~/.zfunc/_trailscope
  trailscope completions fish > ~/.config/fish/completions/trailscope.fish")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    /// Remove every saved index.
    #[arg(long)]
    pub clear: bool,
}

/// What a headless command reads and which of its events it keeps.
#[derive(Debug, Args)]
pub struct Selection {
    /// Files or directories to load; `-` reads stdin. The explorer with none opens the
    /// built-in demo; query and stats need one (or --demo).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Filter expression.
    #[arg(
        short = 'w',
        long = "where",
        value_name = "EXPR",
        allow_hyphen_values = true
    )]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(short, long, value_enum)]
    pub output: Option<trailscope::output::Format>,

    /// Print only the number of matching events.
    #[arg(long)]
    pub count: bool,

    /// Print at most N events (the first N in time order).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Only the events marked in the case file (--case FILE, or the inputs' own case).
    #[arg(long)]
    pub marked: bool,

    /// Columns of `-o csv` and `-o table`: named filter fields, comma-separated
    /// (default: time,name,source,region,ip,principal,... ).
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',')]
    pub columns: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Field to count by: any filter field or dotted JSON path.
    #[arg(long, value_name = "FIELD", default_value = "name")]
    pub by: String,

    /// Print only the N most frequent values.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub output: trailscope::output::Format,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The trail at hand (optional): a fuzzy word then expands to the exact eventNames it
    /// matches there.
    #[command(flatten)]
    pub selection: Selection,

    /// The engine.
    #[arg(long, value_enum, default_value = "athena")]
    pub dialect: trailscope::sql::Dialect,

    /// A table or view to read (Athena: the CloudTrail table, default cloudtrail_logs;
    /// Lake: the event data store id; DuckDB / Spark: one JSON event per row in column e).
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,

    /// The files to read (DuckDB, Spark: a path or glob; Athena --ddl: the S3 location).
    #[arg(long, value_name = "PATH_OR_GLOB")]
    pub location: Option<String>,

    /// Only events at or after this time (a date or RFC 3339); Athena also prunes partitions.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,

    /// Only events before this time.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,

    /// What `after:-2h` counts back from (RFC 3339); without it a relative time is refused.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// Print Athena's CREATE TABLE for the standard CloudTrail table at --location instead.
    #[arg(long)]
    pub ddl: bool,

    /// Spark: print a whole PySpark program that runs the query and writes JSON Lines.
    #[arg(long)]
    pub script: bool,

    /// Athena: wrap the query in UNLOAD … TO this S3 prefix as gzipped JSON, which
    /// trailscope reads back as events.
    #[arg(long, value_name = "S3_PREFIX")]
    pub unload: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The trail's folders: log files and digest files (CloudTrail-Digest/).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The public keys, as `aws cloudtrail list-public-keys` prints them (JSON).
    #[arg(long, value_name = "FILE")]
    pub public_keys: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Values listed per field.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top: usize,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub output: trailscope::output::Format,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Only rules of this level or above: informational, low, medium, high, critical.
    #[arg(long, value_name = "LEVEL", default_value = "informational")]
    pub min_level: String,

    /// One line per event hit, with its rules, instead of one per rule (JSON Lines).
    #[arg(long)]
    pub events: bool,

    /// `origin`: one line per credential chain's origin, most suspicious first, with the
    /// reasons (rules at their effective levels, first uses, error bursts, accounts).
    #[arg(long, value_name = "origin", value_parser = ["origin"])]
    pub by: Option<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub output: trailscope::output::Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads stdin (or --demo).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub output: trailscope::output::Format,
}

/// `1G`, `500M`, `64K` or a plain number of bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("expected a size like 500M or 2G, found `{text}`"))?;
    let scale: u64 = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(format!("unknown size unit in `{text}`: use K, M, G or T")),
    };
    let size = n
        .checked_mul(scale)
        .ok_or_else(|| format!("size `{text}` is too large"))?;
    // Events are found by 32-bit offsets into their input's text: 4G is the most, read as
    // its last byte's offset.
    if size == 1 << 32 {
        return Ok(u64::from(u32::MAX));
    }
    if size > u64::from(u32::MAX) {
        return Err(format!(
            "size `{text}` is over the most one input can be: 4G (4294967295 bytes)"
        ));
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_up_to_4g_are_taken() {
        assert_eq!(super::parse_size("4G"), Ok(u64::from(u32::MAX)));
        assert_eq!(super::parse_size("500M"), Ok(500 << 20));
        assert!(super::parse_size("4097M").is_err());
        assert!(super::parse_size("5G").is_err());
    }
}
