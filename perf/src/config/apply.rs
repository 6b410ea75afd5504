//! Applies settings to the parts of the runtime that read them today: site monitoring on or
//! off, and the collector's interval and retention.
//!
//! Only sites that some rule turns on or off are touched. A site that a rule controlled and no
//! rule matches any more is turned back on, so removing a rule from the file undoes it, while
//! sites that the configuration never named keep what the program set through
//! [`crate::set_site_enabled`].

use std::collections::BTreeSet;
use std::sync::Mutex;

use super::schema::Settings;
use crate::registry;

/// Indices of the sites that the last applied configuration turned on or off, to undo it when
/// the next one no longer names them. Global, like the sites, so that a store that replaces
/// another one through `init` undoes its toggles too.
static CONTROLLED_SITES: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

/// Applies the site toggles of `settings`; returns how many sites are turned off by them.
pub(crate) fn apply_sites(settings: &Settings) -> usize {
    let mut state = CONTROLLED_SITES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut disabled = 0;
    let mut controlled = BTreeSet::new();
    for (index, site) in registry::all_sites().iter().enumerate() {
        let info = site.info();
        match settings.site_policy(info.name, info.component).enabled {
            Some(enabled) => {
                site.set_enabled(enabled);
                controlled.insert(index);
                disabled += usize::from(!enabled);
            }
            None if state.contains(&index) => site.set_enabled(true),
            None => {}
        }
    }
    *state = controlled;
    disabled
}

/// Starts the collector with the settings of `[collector]`, or restarts it when they changed.
/// A restart begins new time series: the points collected so far are dropped.
pub(crate) fn apply_collector(settings: &Settings) -> Result<(), crate::StartError> {
    let wanted = settings.collector.to_collector_config();
    let (running, current) = {
        let state = crate::collector::state();
        (state.status().running, state.config.clone())
    };
    if running && current == wanted {
        return Ok(());
    }
    if running {
        tracing::warn!(interval = ?wanted.interval, "collector settings changed; restarting the collector, its time series start over");
        crate::shutdown();
    }
    crate::start(wanted)
}
