//! What the status line says: about the load (counts, problems, the evidence's
//! verification, a followed trail's arrivals) and the one-off message of the last action;
//! and whether the explorer is done.

/// The explorer's status.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// The load is still running.
    pub loading: bool,
    /// The built-in demo is shown (its banner).
    pub demo: bool,
    pub summary: LoadSummary,
    /// A one-off message for the status line.
    pub message: Option<String>,
    /// The number of the index shown (a followed trail's grows): results made for an older
    /// one are dropped.
    pub load: u64,
    /// The last text put on the clipboard.
    pub copied: Option<String>,
    /// `q` was pressed with notes no case file will keep: the next `q` quits.
    pub quit_asked: bool,
    pub quit: bool,
}

/// What the status line says about the load.
#[derive(Debug, Clone, Default)]
pub struct LoadSummary {
    pub inputs: usize,
    pub events: usize,
    pub digests: usize,
    pub duplicates: usize,
    pub problems: Vec<String>,
    /// The loaded inputs' names (paths; `a.zip!member` for archive members): `:write`
    /// never writes over one.
    pub input_names: Vec<String>,
    /// What `verify` found, once it ran.
    pub evidence: Option<String>,
    /// Following the folders (`--follow`): events that arrived since the first load, and
    /// files left out because they are still being written.
    pub arrived: Option<usize>,
    pub arriving: usize,
}

impl LoadSummary {
    /// What the status says of a load of `events` events that `report` describes (the
    /// followed trail's arrivals carried over from `before`).
    pub fn of(
        report: &crate::load::LoadReport,
        events: usize,
        before: &LoadSummary,
    ) -> LoadSummary {
        LoadSummary {
            inputs: report.inputs.len(),
            events,
            digests: report.digests,
            duplicates: report.duplicates,
            problems: report
                .problems()
                .map(|p| crate::text::sanitize(&p.to_string()).into_owned())
                .collect(),
            input_names: report.inputs.iter().map(|i| i.name.clone()).collect(),
            evidence: None,
            arrived: before.arrived,
            arriving: before.arriving,
        }
    }
}
