//! The routing tree: which receiver gets an alert, and how its notifications are grouped.
//!
//! As in Alertmanager, an alert enters at the root, which matches every alert. Each child
//! route whose matchers all hold takes the alert; the first such child ends the search unless
//! it sets `continue`. When no child takes it, the route itself does. A child inherits the
//! receiver, grouping and timing of its parent unless it sets its own.

use std::time::Duration;

use super::labels::{matches_all, Matcher};
use crate::threshold::Labels;

/// Group notifications by every label, not by a chosen few (Alertmanager's `group_by: [...]`).
pub const GROUP_BY_ALL: &str = "...";

/// A route of the tree, built with chained setters.
///
/// ```
/// use std::time::Duration;
/// use perf::alert::{Matcher, Route};
///
/// let root = Route::new("ops-log")
///     .group_by(["alertname"])
///     .child(Route::new("pager").matcher(Matcher::equal("severity", "critical")).group_wait(Duration::ZERO));
/// # let _ = root;
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Route {
    /// Receiver of the alerts this route takes; inherited when `None`.
    pub receiver: Option<String>,
    /// Matchers that must all hold for the route to take an alert.
    pub matchers: Vec<Matcher>,
    /// Labels that split alerts into groups; `["..."]` groups by every label.
    pub group_by: Option<Vec<String>>,
    /// Wait before the first notification of a new group.
    pub group_wait: Option<Duration>,
    /// Wait between notifications of a group whose alerts changed.
    pub group_interval: Option<Duration>,
    /// Wait before a notification is sent again for a group that did not change.
    pub repeat_interval: Option<Duration>,
    /// Whether sibling routes after this one are tried too when it matches.
    pub continue_matching: bool,
    /// Escalation policy for the alerts this route takes; inherited when `None`.
    pub escalation: Option<String>,
    /// Child routes, tried in order.
    pub routes: Vec<Route>,
}

/// The settings in force at one route, after inheritance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RouteOpts {
    /// Position in the tree, such as `0.2.1`.
    pub(crate) id: String,
    pub(crate) receiver: Option<String>,
    pub(crate) group_by: Vec<String>,
    pub(crate) group_wait: Duration,
    pub(crate) group_interval: Duration,
    pub(crate) repeat_interval: Duration,
    pub(crate) escalation: Option<String>,
}

/// A route with its settings resolved.
#[derive(Debug, Clone)]
pub(crate) struct RouteNode {
    pub(crate) opts: RouteOpts,
    matchers: Vec<Matcher>,
    continue_matching: bool,
    children: Vec<RouteNode>,
}

impl Route {
    /// Creates a route to `receiver`.
    pub fn new(receiver: impl Into<String>) -> Self {
        Route { receiver: Some(receiver.into()), ..Route::default() }
    }

    /// Creates a route that inherits its receiver.
    pub fn inherit() -> Self {
        Route::default()
    }

    /// Adds a matcher.
    pub fn matcher(mut self, matcher: Matcher) -> Self {
        self.matchers.push(matcher);
        self
    }

    /// Sets the grouping labels.
    pub fn group_by<S: Into<String>>(mut self, labels: impl IntoIterator<Item = S>) -> Self {
        self.group_by = Some(labels.into_iter().map(Into::into).collect());
        self
    }

    /// Sets `group_wait`.
    pub fn group_wait(mut self, wait: Duration) -> Self {
        self.group_wait = Some(wait);
        self
    }

    /// Sets `group_interval`.
    pub fn group_interval(mut self, interval: Duration) -> Self {
        self.group_interval = Some(interval);
        self
    }

    /// Sets `repeat_interval`.
    pub fn repeat_interval(mut self, interval: Duration) -> Self {
        self.repeat_interval = Some(interval);
        self
    }

    /// Keeps trying the following sibling routes after this one matched.
    pub fn continue_matching(mut self, value: bool) -> Self {
        self.continue_matching = value;
        self
    }

    /// Sets the escalation policy.
    pub fn escalation(mut self, policy: impl Into<String>) -> Self {
        self.escalation = Some(policy.into());
        self
    }

    /// Adds a child route.
    pub fn child(mut self, route: Route) -> Self {
        self.routes.push(route);
        self
    }
}

/// Alertmanager's defaults: 30 s, 5 min and 4 h.
const DEFAULT_GROUP_WAIT: Duration = Duration::from_secs(30);
const DEFAULT_GROUP_INTERVAL: Duration = Duration::from_secs(5 * 60);
const DEFAULT_REPEAT_INTERVAL: Duration = Duration::from_secs(4 * 60 * 60);

impl RouteNode {
    /// Resolves the tree under `root`.
    pub(crate) fn build(root: &Route) -> RouteNode {
        let defaults = RouteOpts {
            id: "0".to_owned(),
            receiver: None,
            group_by: Vec::new(),
            group_wait: DEFAULT_GROUP_WAIT,
            group_interval: DEFAULT_GROUP_INTERVAL,
            repeat_interval: DEFAULT_REPEAT_INTERVAL,
            escalation: None,
        };
        RouteNode::resolve(root, &defaults, "0".to_owned())
    }

    fn resolve(route: &Route, parent: &RouteOpts, id: String) -> RouteNode {
        let opts = RouteOpts {
            id: id.clone(),
            receiver: route.receiver.clone().or_else(|| parent.receiver.clone()),
            group_by: route.group_by.clone().unwrap_or_else(|| parent.group_by.clone()),
            group_wait: route.group_wait.unwrap_or(parent.group_wait),
            group_interval: route.group_interval.unwrap_or(parent.group_interval),
            repeat_interval: route.repeat_interval.unwrap_or(parent.repeat_interval),
            escalation: route.escalation.clone().or_else(|| parent.escalation.clone()),
        };
        let children = route
            .routes
            .iter()
            .enumerate()
            .map(|(index, child)| RouteNode::resolve(child, &opts, format!("{id}.{index}")))
            .collect();
        RouteNode { opts, matchers: route.matchers.clone(), continue_matching: route.continue_matching, children }
    }

    /// Returns the routes that take an alert with `labels`.
    pub(crate) fn matching(&self, labels: &Labels) -> Vec<&RouteOpts> {
        if !matches_all(&self.matchers, labels) {
            return Vec::new();
        }

        let mut taken = Vec::new();
        for child in &self.children {
            let matched = child.matching(labels);
            let stop = !matched.is_empty() && !child.continue_matching;
            taken.extend(matched);
            if stop {
                break;
            }
        }
        if taken.is_empty() {
            taken.push(&self.opts);
        }
        taken
    }
}

impl RouteOpts {
    /// Returns the labels an alert is grouped by on this route.
    pub(crate) fn group_labels(&self, labels: &Labels) -> Labels {
        if self.group_by.iter().any(|name| name == GROUP_BY_ALL) {
            return labels.clone();
        }
        self.group_by.iter().filter_map(|name| Some((name.clone(), labels.get(name)?.clone()))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    fn tree() -> RouteNode {
        RouteNode::build(
            &Route::new("default")
                .child(Route::new("db").matcher(Matcher::equal("team", "db")))
                .child(Route::new("pager").matcher(Matcher::equal("severity", "critical")).continue_matching(true))
                .child(Route::new("shop").matcher(Matcher::equal("team", "shop"))),
        )
    }

    fn receivers(node: &RouteNode, alert: &Labels) -> Vec<String> {
        node.matching(alert).iter().map(|opts| opts.receiver.clone().unwrap_or_default()).collect()
    }

    #[test]
    fn matching_first_child_wins() {
        let alert = labels(&[("team", "db"), ("severity", "critical")]);
        assert_eq!(receivers(&tree(), &alert), vec!["db"]);
    }

    #[test]
    fn matching_continue_tries_next() {
        let alert = labels(&[("team", "shop"), ("severity", "critical")]);
        assert_eq!(receivers(&tree(), &alert), vec!["pager", "shop"]);
    }

    #[test]
    fn matching_no_child_falls_back_to_parent() {
        let alert = labels(&[("team", "search")]);
        assert_eq!(receivers(&tree(), &alert), vec!["default"]);
    }

    #[test]
    fn child_inherits_timing() {
        let root = RouteNode::build(&Route::new("a").group_wait(Duration::from_secs(7)).child(Route::new("b")));
        let alert = Labels::new();
        assert_eq!(root.matching(&alert)[0].group_wait, Duration::from_secs(7));
    }
}
