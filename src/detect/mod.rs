//! Detections: Sigma rules for CloudTrail run over the whole index. Rules come from the
//! shipped sets (SigmaHQ and Suzaku, Detection Rule License 1.1, compiled into the binary)
//! and the user's own folders; a rule that cannot run is reported with its file and the
//! reason. Detection rules are compiled against the index (`engine`); correlations
//! (`correlate`) run over their base rules' hits.

pub mod condition;
pub mod correlate;
pub mod engine;
pub mod judge;
pub mod report;
pub mod rule;
pub mod suspects;
pub mod tuning;
pub mod value;

use std::path::{Path, PathBuf};

pub use correlate::Firing;
pub use rule::{Level, Rule, RuleError};

use crate::parallel::parallel;
use crate::store::{HitRule, Hits, Store, Verdict};

mod shipped {
    include!(concat!(env!("OUT_DIR"), "/sigma_files.rs"));
}

/// The rules to run, and the ones that could not be read.
#[derive(Debug, Default, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub problems: Vec<RuleError>,
    /// The levels as the rules' authors set them (`--rule-levels`): no tuning, and no
    /// routine or new verdicts.
    pub own_levels: bool,
}

impl RuleSet {
    /// The shipped rules at the shipped tuning: the rules as the product runs them when it
    /// is asked for nothing else.
    pub fn shipped() -> RuleSet {
        RuleSet::load(true, &[]).tuned(&[], false)
    }

    /// The shipped rules (`sigmahq/…`, `suzaku-rules/…`), when `shipped`, and every `.yml`
    /// / `.yaml` file under `dirs`.
    pub fn load(shipped: bool, dirs: &[PathBuf]) -> RuleSet {
        let mut set = RuleSet::default();
        if shipped {
            for (name, text) in shipped::FILES {
                set.add(name, text);
            }
        }
        for dir in dirs {
            let mut files = Vec::new();
            collect(dir, &mut files, &mut set.problems);
            files.sort();
            for file in files {
                let name = file.display().to_string();
                let text = crate::files::read_regular(&file, MAX_RULE_FILE).and_then(|b| {
                    String::from_utf8(b)
                        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
                });
                match text {
                    Ok(text) => set.add(&name, &text),
                    Err(err) => set.problems.push(RuleError {
                        file: name,
                        what: "(file)".into(),
                        reason: err.to_string(),
                    }),
                }
            }
        }
        set.check_references();
        set
    }

    fn add(&mut self, file: &str, text: &str) {
        for result in rule::parse_file(file, text) {
            match result {
                Ok(rule) => self.rules.push(rule),
                Err(err) => self.problems.push(err),
            }
        }
    }

    /// A correlation must find every rule it names (by name, id or title).
    fn check_references(&mut self) {
        let mut broken = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            let Some(c) = &r.correlation else { continue };
            for reference in &c.rules {
                if !self
                    .rules
                    .iter()
                    .any(|b| b.correlation.is_none() && b.answers_to(reference))
                {
                    broken.push((i, reference.clone()));
                }
            }
        }
        for (i, reference) in broken.iter().rev() {
            let r = self.rules.remove(*i);
            self.problems.push(RuleError {
                file: r.file,
                what: r.id,
                reason: format!("the correlation names `{reference}`, which no rule answers to"),
            });
        }
    }
}

/// The largest rule file read (the largest shipped one is a few KB).
const MAX_RULE_FILE: u64 = 4 << 20;

/// The `.yml` / `.yaml` files under `dir` (or `dir` itself, a file). A link to a folder
/// found inside is not followed (a link to `.` or to `/usr` would loop or wander off); a
/// file is read only when it is a regular one.
fn collect(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<RuleError>) {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let inside = path != dir;
        let linked = inside && path.symlink_metadata().is_ok_and(|m| m.is_symlink());
        if path.is_dir() && !linked {
            match std::fs::read_dir(&path) {
                Ok(entries) => pending.extend(entries.flatten().map(|e| e.path())),
                Err(err) => problems.push(RuleError {
                    file: path.display().to_string(),
                    what: "(folder)".into(),
                    reason: err.to_string(),
                }),
            }
        } else if path == dir || path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            // A file named on the command line is read whatever its name.
            files.push(path);
        }
    }
}

/// What one rule found.
#[derive(Debug, Clone)]
pub struct RuleHits {
    /// Index into the rule set.
    pub rule: usize,
    /// Events hit, in time order.
    pub rows: Vec<u32>,
    /// For a correlation: each firing with its group.
    pub firings: Vec<Firing>,
    /// Per event of `rows`: routine, new or neither (see [`judge`]); empty when not judged.
    pub verdicts: Vec<Verdict>,
}

impl RuleHits {
    /// The effective level of the hit on `rows[at]` for a rule at `level`.
    pub fn effective(&self, at: usize, level: Level) -> u8 {
        self.verdicts
            .get(at)
            .copied()
            .unwrap_or_default()
            .effective(level as u8)
    }

    /// Keeps the hits on the rows `keep` says, with their verdicts.
    pub fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        let verdicts = std::mem::take(&mut self.verdicts);
        let judged = !verdicts.is_empty();
        let (rows, verdicts): (Vec<u32>, Vec<Verdict>) = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, &row)| keep(row))
            .map(|(at, &row)| (row, verdicts.get(at).copied().unwrap_or_default()))
            .unzip();
        self.rows = rows;
        if judged {
            self.verdicts = verdicts;
        }
    }

    /// The highest effective level of its hits.
    pub fn top(&self, level: Level) -> u8 {
        (0..self.rows.len())
            .map(|at| self.effective(at, level))
            .max()
            .unwrap_or(0)
    }
}

/// Runs every rule of `set` over `store`, on all cores: the rules that hit something and
/// report it (a correlation's base rules do not, unless it says `generate`), in rule-set
/// order, each hit judged routine, new or neither (unless the set keeps its own levels).
pub fn run(store: &Store, set: &RuleSet) -> Vec<RuleHits> {
    let mut found = hits_of(store, set);
    if !set.own_levels {
        judge::judge(store, &mut found);
    }
    found
}

/// The rules' hits, as the rules decide them.
fn hits_of(store: &Store, set: &RuleSet) -> Vec<RuleHits> {
    let index = engine::Index::new(store, &set.rules);
    let base: Vec<usize> = (0..set.rules.len())
        .filter(|&i| set.rules[i].condition.is_some())
        .collect();
    // What the index decides, rule by rule on all cores.
    let workers = parallel(
        base.len(),
        0,
        || (engine::Evaluator::new(&index), Vec::new()),
        |(evaluator, found), i| {
            let rule = base[i];
            let (lower, undecided) = evaluator.decide(&set.rules[rule]);
            found.push((rule, lower, undecided));
        },
    );
    let mut rows_of: Vec<Vec<u32>> = vec![Vec::new(); set.rules.len()];
    let mut pending: Vec<(u32, u32)> = Vec::new();
    for (_, found) in workers {
        for (rule, lower, undecided) in found {
            rows_of[rule] = lower;
            pending.extend(undecided.into_iter().map(|row| (row, rule as u32)));
        }
    }
    // The rest, each event read once for every rule still undecided on it.
    pending.sort_unstable();
    let rows: Vec<u32> = pending
        .chunk_by(|a, b| a.0 == b.0)
        .map(|g| g[0].0)
        .collect();
    let matched = store.scan_rows(&rows, Vec::new, |found: &mut Vec<(u32, u32)>, row, json| {
        let Ok(event) = serde_json::from_str::<serde_json::Value>(json) else {
            return;
        };
        let start = pending.partition_point(|p| p.0 < row);
        for &(_, rule) in pending[start..].iter().take_while(|p| p.0 == row) {
            let r = &set.rules[rule as usize];
            if r.condition
                .as_ref()
                .is_some_and(|c| engine::matches_event(r, c, &event))
            {
                found.push((rule, row));
            }
        }
    });
    let mut late: Vec<Vec<u32>> = vec![Vec::new(); set.rules.len()];
    for (rule, row) in matched.into_iter().flatten() {
        late[rule as usize].push(row);
    }
    for (rule, mut rows) in late.into_iter().enumerate() {
        if !rows.is_empty() {
            rows.sort_unstable();
            rows_of[rule] = engine::union(&rows_of[rule], &rows);
        }
    }
    // Correlations, and the base rules they keep quiet.
    let mut quiet = vec![false; set.rules.len()];
    let mut firings_of: Vec<Vec<Firing>> = vec![Vec::new(); set.rules.len()];
    for (i, r) in set.rules.iter().enumerate() {
        let Some(c) = &r.correlation else { continue };
        let refs: Vec<usize> = c
            .rules
            .iter()
            .filter_map(|name| {
                set.rules
                    .iter()
                    .position(|b| b.correlation.is_none() && b.answers_to(name))
            })
            .collect();
        let inputs: Vec<Vec<u32>> = refs.iter().map(|&b| rows_of[b].clone()).collect();
        let firings = correlate::fire(store, c, &inputs);
        let mut rows: Vec<u32> = firings
            .iter()
            .flat_map(|f| f.rows.iter().copied())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows_of[i] = rows;
        firings_of[i] = firings;
        if !c.generate {
            for b in refs {
                quiet[b] = true;
            }
        }
    }
    rows_of
        .into_iter()
        .zip(firings_of)
        .enumerate()
        .filter(|(i, (rows, _))| !quiet[*i] && !rows.is_empty())
        .map(|(rule, (rows, firings))| RuleHits {
            rule,
            rows,
            firings,
            verdicts: Vec::new(),
        })
        .collect()
}

/// The first sentence (or line) of a description.
fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.find(". ") {
        Some(end) => line[..=end].to_string(),
        None => line.to_string(),
    }
}

/// The JSON paths a rule tests (a correlation's: its base rules' and its group-by fields).
fn fields_of(set: &RuleSet, rule: &Rule) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    let mut add = |path: &str| {
        if !fields.iter().any(|f| f == path) {
            fields.push(path.to_string());
        }
    };
    let own = |r: &Rule, add: &mut dyn FnMut(&str)| {
        for test in r.selections.iter().flat_map(|s| &s.any_of).flatten() {
            add(&test.path);
        }
    };
    own(rule, &mut add);
    if let Some(c) = &rule.correlation {
        for name in &c.rules {
            if let Some(base) = set
                .rules
                .iter()
                .find(|b| b.correlation.is_none() && b.answers_to(name))
            {
                own(base, &mut add);
            }
        }
        for field in &c.group_by {
            add(field);
        }
    }
    fields
}

/// The hits as the index keeps them (for filters, stats and the explorer).
pub fn to_hits(store: &Store, set: &RuleSet, found: &[RuleHits]) -> Hits {
    let rules = found
        .iter()
        .map(|h| {
            let r = &set.rules[h.rule];
            HitRule {
                title: r.title.clone(),
                id: r.id.clone(),
                level: r.level as u8,
                author: r.author.clone(),
                summary: first_sentence(&r.description),
                fields: fields_of(set, r),
                tactics: r.tactics.clone(),
                techniques: r.techniques.clone(),
                rows: h.rows.clone(),
                verdicts: h.verdicts.clone(),
            }
        })
        .collect();
    Hits::new(rules, store.len())
}
