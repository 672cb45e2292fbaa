//! The two halves of a load: the inputs read, inflated and parsed on every core into
//! columns ([`Parsed::of`]), then those columns put in time order, copies collapsed and
//! the store made ([`Parsed::finish`]). A saved index that is brought up to date joins
//! its kept rows to newly parsed ones between the two.

use std::sync::atomic::Ordering;

use super::{copies, load_one, order, InputReport, LoadOptions, LoadReport, Progress};
use crate::parallel::parallel;
use crate::source::{self, Input};
use crate::store::{Blob, Columns, Store};

/// One worker's share of a load.
struct Worker {
    cols: Columns,
    /// Inflate buffer reused from file to file.
    buf: Vec<u8>,
    blobs: Vec<(usize, Blob)>,
    reports: Vec<(usize, InputReport)>,
}

/// The inputs read and parsed, before their events are put in time order: the columns in
/// input order, each input's blob and report (`None` for an input not read).
pub(crate) struct Parsed {
    pub(crate) cols: Columns,
    pub(crate) blobs: Vec<Option<Blob>>,
    pub(crate) reports: Vec<Option<InputReport>>,
    /// The rows the store keeps, when not all: an index brought up to date leaves out the
    /// rows of its changed and removed files here, in the one permutation of the finish.
    pub(crate) rows: Option<Vec<u32>>,
}

impl Parsed {
    /// Reads and parses the inputs `wanted` says, on all cores; input `i`'s events point
    /// at blob `i`.
    pub(crate) fn of(
        inputs: &[Input],
        wanted: &(dyn Fn(usize) -> bool + Sync),
        options: &LoadOptions,
        progress: &Progress,
    ) -> Parsed {
        let wanted_count = (0..inputs.len()).filter(|&i| wanted(i)).count();
        progress.inputs_total.store(wanted_count, Ordering::Relaxed);
        let limit = options.max_file_size.min(u64::from(u32::MAX));
        let workers = parallel(
            inputs.len(),
            options.threads,
            || Worker {
                cols: Columns::new(),
                buf: Vec::new(),
                blobs: Vec::new(),
                reports: Vec::new(),
            },
            |worker, i| {
                if !wanted(i) {
                    return;
                }
                let mut large = None;
                let (blob, report) = load_one(
                    &inputs[i],
                    i as u32,
                    limit,
                    &mut worker.cols,
                    &mut worker.buf,
                    &mut large,
                    progress,
                );
                // A large input's buffer goes before the next large input may start.
                if worker.buf.capacity() as u64 > source::inflate::LARGE {
                    worker.buf = Vec::new();
                }
                drop(large);
                if let Some(blob) = blob {
                    worker.blobs.push((i, blob));
                }
                worker.reports.push((i, report));
                progress.inputs_done.fetch_add(1, Ordering::Relaxed);
            },
        );
        let mut workers = workers;
        // The largest share is kept as it is and the others are appended to it: the fewest
        // rows copied, and no second copy of the largest alive at the peak.
        if let Some(largest) = (0..workers.len()).max_by_key(|&w| workers[w].cols.len()) {
            workers.swap(0, largest);
        }
        let mut cols = Columns::new();
        let mut blobs: Vec<Option<Blob>> = (0..inputs.len()).map(|_| None).collect();
        let mut reports: Vec<Option<InputReport>> = (0..inputs.len()).map(|_| None).collect();
        for worker in workers {
            if cols.len() == 0 {
                cols = worker.cols;
            } else {
                cols.append(worker.cols);
            }
            for (i, blob) in worker.blobs {
                blobs[i] = Some(blob);
            }
            for (i, report) in worker.reports {
                reports[i] = Some(report);
            }
        }
        Parsed {
            cols,
            blobs,
            reports,
            rows: None,
        }
    }

    /// Orders the events by time, collapses copies, and makes the store; `duplicates`
    /// were collapsed before (an index that is extended).
    pub(crate) fn finish(self, options: &LoadOptions, duplicates: usize) -> (Store, LoadReport) {
        let limit = options.max_file_size.min(u64::from(u32::MAX));
        let Parsed {
            mut cols,
            blobs,
            mut reports,
            rows,
        } = self;
        cols.pad();
        let ordered = {
            let mut contents = copies::Contents::new(&blobs, limit);
            let mut print = |row: u32| contents.fingerprint(&cols, row);
            let rows = rows.unwrap_or_else(|| (0..cols.len() as u32).collect());
            order::time_order(&cols, rows, options.dedup, options.threads == 1, &mut print)
        };
        for (rows, count) in [(&ordered.duplicates, 0usize), (&ordered.conflicts, 1usize)] {
            for &row in rows {
                let blob = cols.raw[row as usize].blob as usize;
                if let Some(Some(report)) = reports.get_mut(blob) {
                    match count {
                        0 => report.duplicates += 1,
                        _ => report.conflicts += 1,
                    }
                }
            }
        }
        let duplicates = duplicates + ordered.duplicates.len();
        let conflicts = copies::conflict_rows(&ordered);
        let mut cols = cols.permuted(&ordered.kept, options.threads == 1);
        cols.fill_absent();
        let reports: Vec<InputReport> = reports.into_iter().flatten().collect();
        let report = LoadReport {
            digests: reports.iter().map(|r| r.digests).sum(),
            inputs: reports,
            discovery_problems: Vec::new(),
            duplicates,
            index_note: None,
            lookup_problems: Vec::new(),
        };
        let mut store = Store {
            cols,
            blobs,
            conflicts,
            max_file_size: limit,
            ..Store::empty()
        };
        let mut report = report;
        super::enrich(&mut store, &mut report, options);
        (store, report)
    }
}
