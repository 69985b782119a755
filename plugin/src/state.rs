//! Saved-state checks on the main thread: a state from a newer format is refused (the
//! instance keeps its sound) with a logged reason; older ones are migrated.

use crate::lanes::SavedLanes;
use crate::params::{StateUpgrade, upgrade_state};
use nice_plug::prelude::*;

/// Key of the persisted motion-lane points.
const LANES_KEY: &str = "lanes";

/// Called by nice-plug just before a state is applied (main thread, never the audio thread).
pub fn filter(state: &mut PluginState) {
    match upgrade_state(&mut state.fields) {
        StateUpgrade::Current => default_missing_lanes(state),
        StateUpgrade::Migrated(from) => {
            nice_log!("Octolane: migrated a saved state from format {from}");
            default_missing_lanes(state);
        }
        StateUpgrade::FromNewer(version) => {
            nice_log!(
                "Octolane: refusing a saved state of format {version} (this build reads up to \
                 {}); keeping the current sound",
                crate::params::STATE_FORMAT_VERSION
            );
            // Applying nothing leaves every parameter as it was.
            state.params.clear();
            state.fields.clear();
        }
    }
}

/// A preset or project saved without motion lanes means "the default curves", not "keep
/// whatever the lanes hold now": a preset defines the whole sound.
fn default_missing_lanes(state: &mut PluginState) {
    if !state.fields.contains_key(LANES_KEY)
        && let Ok(json) = serde_json::to_string(&SavedLanes::defaults())
    {
        state.fields.insert(LANES_KEY.to_string(), json);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn state(fields: &[(&str, &str)]) -> PluginState {
        PluginState {
            version: String::from("0.1.0"),
            params: BTreeMap::new(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_state_without_lanes_loads_the_default_curves() {
        let mut s = state(&[("format_version", "1")]);
        filter(&mut s);
        let defaults = serde_json::to_string(&SavedLanes::defaults()).unwrap();
        assert_eq!(s.fields.get(LANES_KEY), Some(&defaults));
    }

    #[test]
    fn saved_lanes_are_left_alone_and_newer_formats_apply_nothing() {
        let mut s = state(&[("format_version", "1"), (LANES_KEY, "{\"lanes\":[]}")]);
        filter(&mut s);
        assert_eq!(
            s.fields.get(LANES_KEY).map(String::as_str),
            Some("{\"lanes\":[]}")
        );
        let mut newer = state(&[("format_version", "99")]);
        filter(&mut newer);
        assert!(newer.fields.is_empty() && newer.params.is_empty());
    }
}
