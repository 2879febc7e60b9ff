//! How many renders of one service may be in progress at once.
//!
//! A render holds its permit from the moment it starts until its response body has been sent
//! or dropped, so the limit also bounds the expositions held in memory by responses in
//! flight. Over the limit a scrape is refused at once rather than queued: a queue would only
//! move the pile-up (and its memory) from the render to the waiting room.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// How many renders one service runs at once unless configured otherwise.
///
/// Four leaves room for a highly available pair of Prometheus servers, a second scraper and
/// a person with `curl`, while keeping the memory of responses in flight at four
/// expositions.
pub const DEFAULT_MAX_CONCURRENT_RENDERS: usize = 4;

/// A counting limit without a queue.
#[derive(Debug)]
pub(crate) struct RenderLimit {
    max: usize,
    in_use: AtomicUsize,
}

impl RenderLimit {
    /// A limit of `max` renders at once; 0 is taken as 1 so that scraping stays possible.
    pub(crate) fn new(max: usize) -> Self {
        RenderLimit {
            max: max.max(1),
            in_use: AtomicUsize::new(0),
        }
    }

    /// The configured limit.
    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// A permit when fewer than the limit are out, `None` otherwise.
    pub(crate) fn try_acquire(self: &Arc<Self>) -> Option<RenderPermit> {
        self.in_use
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |in_use| {
                (in_use < self.max).then_some(in_use + 1)
            })
            .ok()?;
        Some(RenderPermit {
            limit: Arc::clone(self),
        })
    }

    /// How many permits are out.
    pub(crate) fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Relaxed)
    }
}

/// One render's share of a [`RenderLimit`]; given back when dropped.
#[derive(Debug)]
pub(crate) struct RenderPermit {
    limit: Arc<RenderLimit>,
}

impl Drop for RenderPermit {
    fn drop(&mut self) {
        self.limit.in_use.fetch_sub(1, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_past_the_limit_are_refused_until_one_is_returned() {
        let limit = Arc::new(RenderLimit::new(2));
        let first = limit.try_acquire().expect("first");
        let second = limit.try_acquire().expect("second");
        assert!(limit.try_acquire().is_none());
        assert_eq!(limit.in_use(), 2);
        drop(first);
        let third = limit
            .try_acquire()
            .expect("a returned permit can be taken again");
        assert!(limit.try_acquire().is_none());
        drop((second, third));
        assert_eq!(limit.in_use(), 0);
    }

    #[test]
    fn a_limit_of_zero_still_admits_one_render() {
        let limit = Arc::new(RenderLimit::new(0));
        assert_eq!(limit.max(), 1);
        let only = limit.try_acquire().expect("one render");
        assert!(limit.try_acquire().is_none());
        drop(only);
    }
}
