//! Joins two sets of series on their labels, for binary operators.
//!
//! Two series join when they agree on every label name they both have; the result carries
//! the labels of both. Series with the same labels therefore pair up one to one (as in
//! Prometheus), and a series with no label, such as a constant, joins every series. The
//! `name` label of `metric{name="..."}` is the metric's name, so joins ignore it as Prometheus
//! ignores `__name__`, and the left side's name is kept.

use crate::threshold::Labels;

/// The label that carries the name of a `metric{name="..."}` series.
const METRIC_NAME_LABEL: &str = "name";

/// Returns `true` when `left` and `right` agree on every label they share.
pub(crate) fn compatible(left: &Labels, right: &Labels) -> bool {
    let (small, large) = if left.len() <= right.len() { (left, right) } else { (right, left) };
    small.iter().all(|(name, value)| name == METRIC_NAME_LABEL || large.get(name).is_none_or(|other| other == value))
}

/// Returns the union of two compatible label sets.
pub(crate) fn merge(left: &Labels, right: &Labels) -> Labels {
    let mut labels = left.clone();
    for (name, value) in right {
        labels.entry(name.clone()).or_insert_with(|| value.clone());
    }
    labels
}

/// Pairs every compatible left and right series, calling `combine` on their values.
pub(crate) fn inner<L, R, T>(
    left: &[(Labels, L)],
    right: &[(Labels, R)],
    mut combine: impl FnMut(&L, &R) -> Option<T>,
) -> Vec<(Labels, T)> {
    let mut joined = Vec::new();
    for (left_labels, left_value) in left {
        for (right_labels, right_value) in right {
            if !compatible(left_labels, right_labels) {
                continue;
            }
            if let Some(value) = combine(left_value, right_value) {
                joined.push((merge(left_labels, right_labels), value));
            }
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn compatible_same_labels() {
        assert!(compatible(&labels(&[("site", "a")]), &labels(&[("site", "a")])));
    }

    #[test]
    fn compatible_conflicting_value() {
        assert!(!compatible(&labels(&[("site", "a")]), &labels(&[("site", "b")])));
    }

    #[test]
    fn compatible_ignores_metric_name() {
        assert!(compatible(&labels(&[("name", "a"), ("shard", "x")]), &labels(&[("name", "b"), ("shard", "x")])));
    }

    #[test]
    fn inner_disjoint_names_pair_all() {
        let left = vec![(labels(&[("site", "a")]), 1), (labels(&[("site", "b")]), 2)];
        let right = vec![(labels(&[("cache", "c")]), 10)];
        let joined = inner(&left, &right, |l, r| Some(l + r));
        assert_eq!(joined.len(), 2);
        assert_eq!(joined[1], (labels(&[("cache", "c"), ("site", "b")]), 12));
    }
}
