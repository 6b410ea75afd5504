//! What the stateful functions of an expression remember between evaluations, per node and
//! series.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::rule::Span;
use crate::threshold::ewma::Ewma;
use crate::threshold::window::SampleWindow;
use crate::threshold::Labels;

/// State of one node for one series.
#[derive(Debug, Clone)]
pub(crate) enum NodeState {
    /// The previous cumulative count(s), for `rate` and the ratios `error_rate` and `hit_rate`.
    Previous { at: SystemTime, part: f64, whole: f64 },
    /// Earlier samples, for `increase`, `delta`, `pct_change`, `zscore` and
    /// `rolling_percentile`.
    Window(SampleWindow),
    /// A running average, for `ewma`, `ewma_upper` and `ewma_lower`.
    Ewma(Ewma),
}

/// The state of every node and series, dropped when a series has not been seen for a while.
#[derive(Debug, Default)]
pub(crate) struct StateTable {
    entries: HashMap<(Span, Labels), (SystemTime, NodeState)>,
}

impl StateTable {
    /// Returns the state of `node` for `labels`, creating it with `init`, and marks it used at
    /// `now`.
    pub(crate) fn entry(
        &mut self,
        node: Span,
        labels: &Labels,
        now: SystemTime,
        init: impl FnOnce() -> NodeState,
    ) -> &mut NodeState {
        let slot = self.entries.entry((node, labels.clone())).or_insert_with(|| (now, init()));
        slot.0 = now;
        &mut slot.1
    }

    /// Drops the state of series not evaluated within `stale_after` before `now`.
    pub(crate) fn prune(&mut self, now: SystemTime, stale_after: Duration) {
        self.entries.retain(|_, (used, _)| now.duration_since(*used).unwrap_or(Duration::ZERO) <= stale_after);
    }

    /// Returns the number of node and series states held.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}
