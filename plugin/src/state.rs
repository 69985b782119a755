//! Saved-state checks on the main thread: a state from a newer format is refused (the
//! instance keeps its sound) with a logged reason; older ones are migrated.

use crate::params::{StateUpgrade, upgrade_state};
use nice_plug::prelude::*;

/// Called by nice-plug just before a state is applied (main thread, never the audio thread).
pub fn filter(state: &mut PluginState) {
    match upgrade_state(&mut state.fields) {
        StateUpgrade::Current => {}
        StateUpgrade::Migrated(from) => {
            nice_log!("Octolane: migrated a saved state from format {from}");
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
