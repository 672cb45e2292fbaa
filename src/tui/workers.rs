//! The explorer's worker threads, so that nothing slow runs on the UI thread. Filters run
//! on one, where only the newest request matters: an older one still running is abandoned
//! between inputs of its scan, and older queued ones are dropped. Views derived from the
//! index (the histogram, an event's document, counts, the overview, a search) run on
//! another, the newest document and histogram first; the detection rules on a third; the
//! files (the case read and written, exports, a followed trail's marks carried over) on a
//! fourth, in the order they were asked for.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use super::app::{run_request, Action, Request};
use crate::store::Store;

type Job = (Arc<Store>, Request);

/// What the files worker is given: a job, or a request to say when all before it are done.
enum FileJob {
    Run(Job),
    Settle(Sender<()>),
}

/// Where requests go.
pub struct Workers {
    filters: Sender<Job>,
    derived: Sender<Job>,
    /// Running the detection rules: a second or so, once per load, on a thread of its own
    /// so that filters and the event shown never wait for it.
    detect: Sender<Job>,
    files: Sender<FileJob>,
    /// The generation of the newest filter sent; a running filter of another one stops.
    newest: Arc<AtomicU64>,
}

impl Workers {
    /// Starts the workers; `done` receives each finished action and returns false once
    /// nobody listens any more (the workers then end).
    pub fn spawn(done: impl Fn(Action) -> bool + Send + Clone + 'static) -> Workers {
        let newest = Arc::new(AtomicU64::new(0));
        let (filters, filter_jobs) = mpsc::channel::<Job>();
        let (derived, derived_jobs) = mpsc::channel::<Job>();
        let (detect, detect_jobs) = mpsc::channel::<Job>();
        let (files, file_jobs) = mpsc::channel::<FileJob>();
        {
            let (done, newest) = (done.clone(), Arc::clone(&newest));
            std::thread::spawn(move || filter_worker(&filter_jobs, &newest, &done));
        }
        {
            let done = done.clone();
            std::thread::spawn(move || in_order(detect_jobs.into_iter(), &done));
        }
        {
            let done = done.clone();
            std::thread::spawn(move || {
                let jobs = file_jobs.into_iter().filter_map(|job| match job {
                    FileJob::Run(job) => Some(job),
                    FileJob::Settle(settled) => {
                        let _ = settled.send(());
                        None
                    }
                });
                in_order(jobs, &done)
            });
        }
        std::thread::spawn(move || derived_worker(&derived_jobs, &done));
        Workers {
            filters,
            derived,
            detect,
            files,
            newest,
        }
    }

    /// Hands `request` over `store` to its worker.
    pub fn send(&self, store: &Arc<Store>, request: Request) {
        let job = (Arc::clone(store), request);
        // A worker that is gone has nobody to answer: the explorer is ending.
        let _sent = match job.1 {
            Request::Filter { generation, .. } => {
                self.newest.store(generation, Ordering::Relaxed);
                self.filters.send(job).is_ok()
            }
            Request::Detect { .. } => self.detect.send(job).is_ok(),
            Request::RestoreCase { .. }
            | Request::SaveCase(_)
            | Request::Export(_)
            | Request::Carry(_) => self.files.send(FileJob::Run(job)).is_ok(),
            _ => self.derived.send(job).is_ok(),
        };
    }

    /// Waits (a few seconds at most) until the files worker has done every job sent to
    /// it: the last save of the case must not be overtaken by an earlier one.
    pub fn settle_files(&self) {
        let (settled, wait) = mpsc::channel();
        if self.files.send(FileJob::Settle(settled)).is_ok() {
            let _ = wait.recv_timeout(Duration::from_secs(10));
        }
    }
}

/// Runs each job in turn, sending its result.
fn in_order(jobs: impl Iterator<Item = Job>, done: &impl Fn(Action) -> bool) {
    for (store, request) in jobs {
        if let Some(action) = run_request(&store, request, &|| false) {
            if !done(action) {
                return;
            }
        }
    }
}

fn filter_worker(jobs: &Receiver<Job>, newest: &AtomicU64, done: &impl Fn(Action) -> bool) {
    while let Ok(mut job) = jobs.recv() {
        while let Ok(next) = jobs.try_recv() {
            job = next;
        }
        let (store, request) = job;
        let Request::Filter { generation, .. } = &request else {
            continue;
        };
        let generation = *generation;
        let moot = || newest.load(Ordering::Relaxed) != generation;
        if let Some(action) = run_request(&store, request, &moot) {
            if !done(action) {
                break;
            }
        }
    }
}

fn derived_worker(jobs: &Receiver<Job>, done: &impl Fn(Action) -> bool) {
    while let Ok(first) = jobs.recv() {
        // The newest document and histogram; the document first, as the user looks at it.
        // Every other job in its turn.
        let (mut document, mut histogram, mut others) = (None, None, Vec::new());
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            match job.1 {
                Request::Document { .. } => document = Some(job),
                Request::Histogram { .. } => histogram = Some(job),
                _ => others.push(job),
            }
        }
        for (store, request) in document.into_iter().chain(histogram).chain(others) {
            if let Some(action) = run_request(&store, request, &|| false) {
                if !done(action) {
                    return;
                }
            }
        }
    }
}
