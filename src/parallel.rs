//! Running work over many items on all cores, each worker with its own state.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `each` over `0..items` on `threads` workers, each with its own state.
pub(crate) fn parallel<S: Send>(
    items: usize,
    threads: usize,
    make: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, usize) + Sync,
) -> Vec<S> {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .clamp(1, items.max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = make();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= items {
                break;
            }
            each(&mut state, i);
        }
        state
    };
    if threads == 1 {
        return vec![work()];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
