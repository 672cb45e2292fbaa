//! The explorer's worker threads. Filters run on one, where only the newest request
//! matters: an older one still running is abandoned between inputs of its scan, and older
//! queued ones are dropped. Derived views (the histogram, an event's document) run on
//! another, newest of each kind first, so neither ever blocks the UI thread; the detection
//! rules on a third.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use super::app::{run_request, Action, Request};
use crate::store::Store;

type Job = (Arc<Store>, Request);

/// Where requests go.
pub struct Workers {
    filters: Sender<Job>,
    derived: Sender<Job>,
    /// Running the detection rules: a second or so, once per load, on a thread of its own
    /// so that filters and the event shown never wait for it.
    detect: Sender<Job>,
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
        {
            let (done, newest) = (done.clone(), Arc::clone(&newest));
            std::thread::spawn(move || filter_worker(&filter_jobs, &newest, &done));
        }
        {
            let done = done.clone();
            std::thread::spawn(move || {
                for (store, request) in detect_jobs {
                    if let Some(action) = run_request(&store, &request, &|| false) {
                        if !done(action) {
                            return;
                        }
                    }
                }
            });
        }
        std::thread::spawn(move || derived_worker(&derived_jobs, &done));
        Workers {
            filters,
            derived,
            detect,
            newest,
        }
    }

    /// Hands `request` over `store` to its worker.
    pub fn send(&self, store: &Arc<Store>, request: Request) {
        let job = (Arc::clone(store), request);
        let _ = match job.1 {
            Request::Filter { generation, .. } => {
                self.newest.store(generation, Ordering::Relaxed);
                self.filters.send(job)
            }
            Request::Histogram { .. } | Request::Document { .. } => self.derived.send(job),
            Request::Detect { .. } => self.detect.send(job),
        };
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
        if let Some(action) = run_request(&store, &request, &moot) {
            if !done(action) {
                break;
            }
        }
    }
}

fn derived_worker(jobs: &Receiver<Job>, done: &impl Fn(Action) -> bool) {
    while let Ok(first) = jobs.recv() {
        // The newest request of each kind; the document first, as the user looks at it.
        let (mut document, mut histogram) = (None, None);
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            match job.1 {
                Request::Document { .. } => document = Some(job),
                _ => histogram = Some(job),
            }
        }
        for (store, request) in document.into_iter().chain(histogram) {
            if let Some(action) = run_request(&store, &request, &|| false) {
                if !done(action) {
                    return;
                }
            }
        }
    }
}
