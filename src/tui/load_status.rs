//! What the status line says about the load: counts, problems, the evidence's
//! verification, a followed trail's arrivals.

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
