//! `GET /api/series`: the time series of every site (or one) over a time window, from the
//! finest retention tier that reaches back that far.
//!
//! Parameters: `window_ms` (default 5 minutes), `site` (one site only), `tier` (a tier
//! index, instead of choosing one from the window).

use serde::Serialize;

use super::query::param;
use super::response::Response;
use crate::collector;
use crate::registry;
use crate::series::{Point, Retention};

const DEFAULT_WINDOW_MS: u64 = 5 * 60 * 1000;

/// The points of the requested sites in one tier.
#[derive(Debug, Serialize)]
pub(crate) struct SeriesReply {
    /// Index of the tier the points come from, 0 being the finest.
    tier: usize,
    /// Interval covered by one point, in milliseconds.
    resolution_ms: u64,
    /// The requested window, in milliseconds.
    window_ms: u64,
    /// End of the window, in milliseconds since the Unix epoch.
    now_ms: u64,
    /// One entry per site with at least one point in the window, sorted by site name.
    series: Vec<SiteSeries>,
}

/// The points of one site, oldest first.
#[derive(Debug, Serialize)]
pub(crate) struct SiteSeries {
    site: String,
    points: Vec<Point>,
}

pub(crate) fn respond(query: &str) -> Response {
    let window_ms = match param(query, "window_ms") {
        None => DEFAULT_WINDOW_MS,
        Some(text) => match text.parse::<u64>() {
            Ok(value) if value > 0 => value,
            _ => {
                return Response::error(
                    400,
                    format!("invalid window_ms {text:?}: expected a whole number of milliseconds above 0"),
                )
            }
        },
    };
    let site = param(query, "site");
    if let Some(name) = &site {
        if registry::find_site(name).is_none() {
            return Response::error(404, format!("no site is named {name:?}; GET /api/snapshot lists the sites"));
        }
    }

    let state = collector::state();
    let retention = state.config.retention.clone();
    let tier = match param(query, "tier") {
        None => tier_for(&retention, window_ms),
        Some(text) => match text.parse::<usize>() {
            Ok(index) if index < retention.len() => index,
            _ => {
                let last = retention.len().saturating_sub(1);
                return Response::error(400, format!("invalid tier {text:?}: expected a tier index from 0 to {last}"));
            }
        },
    };

    let now_ms = collector::unix_ms();
    let since_ms = now_ms.saturating_sub(window_ms);
    let series = registry::all_sites()
        .iter()
        .enumerate()
        .filter(|(_, entry)| site.as_deref().is_none_or(|name| entry.info().name == name))
        .filter_map(|(index, entry)| {
            let points: Vec<Point> =
                state.store.points(index, tier).into_iter().filter(|point| point.end_ms >= since_ms).collect();
            (!points.is_empty()).then(|| SiteSeries { site: entry.info().name.to_owned(), points })
        })
        .collect();
    drop(state);

    let resolution_ms = retention.get(tier).map_or(0, |tier| tier.resolution.as_millis() as u64);
    Response::json(200, &SeriesReply { tier, resolution_ms, window_ms, now_ms, series })
}

/// Returns the index of the finest tier of the running configuration that keeps at least
/// `window_ms` of points.
pub(crate) fn tier_for_window(window_ms: u64) -> usize {
    tier_for(&collector::state().config.retention, window_ms)
}

/// Returns the finest tier that keeps at least `window_ms` of points, or the one that reaches
/// back furthest when none does.
fn tier_for(retention: &[Retention], window_ms: u64) -> usize {
    let reaches = |tier: &Retention| tier.keep.as_millis() >= u128::from(window_ms);
    if let Some(index) = retention.iter().position(reaches) {
        return index;
    }
    retention.iter().enumerate().max_by_key(|(_, tier)| tier.keep).map_or(0, |(index, _)| index)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn tiers() -> Vec<Retention> {
        vec![
            Retention { resolution: Duration::from_secs(1), keep: Duration::from_secs(900) },
            Retention { resolution: Duration::from_secs(60), keep: Duration::from_secs(86_400) },
        ]
    }

    #[test]
    fn tier_for_short_window_is_finest() {
        assert_eq!(tier_for(&tiers(), 300_000), 0);
    }

    #[test]
    fn tier_for_window_at_keep_is_that_tier() {
        assert_eq!(tier_for(&tiers(), 900_000), 0);
    }

    #[test]
    fn tier_for_longer_window_is_coarser() {
        assert_eq!(tier_for(&tiers(), 3_600_000), 1);
    }

    #[test]
    fn tier_for_window_beyond_all_is_longest() {
        assert_eq!(tier_for(&tiers(), 7 * 86_400_000), 1);
    }
}
