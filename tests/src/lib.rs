//! An offline CLAP host that loads the bundled Octolane plugin exactly as a DAW does.
//!
//! The host is split along CLAP's thread lines:
//! - [`PluginHost`] lives on the main thread (it is not `Send`): descriptor, ports, parameters,
//!   state, activation.
//! - [`AudioProcessor`] is `Send`: it is created by [`PluginHost::activate`] and can be moved to a
//!   dedicated audio thread, where [`AudioProcessor::process`] renders blocks while the main thread
//!   keeps using the [`PluginHost`].
//!
//! [`render`] drives a processor over a timeline of events in absolute sample time, [`midi_file`]
//! turns a Standard MIDI File into such a timeline, and [`demo`] renders a MIDI file to a WAV file.

#![warn(missing_docs)]

pub mod demo;
mod error;
pub mod events;
mod handlers;
mod host;
pub mod midi_file;
mod params;
mod processor;
pub mod render;
mod state;
pub mod tempo;

use std::path::PathBuf;

pub use error::HostError;
pub use events::{HostEvent, TimedEvent, Transport};
pub use host::{AudioPortInfo, NoteDialects, NotePortInfo, PluginDescriptorInfo, PluginHost};
pub use params::{ParamFlags, ParamInfo, param_id_hash};
pub use processor::{AudioProcessor, StereoBlock};
pub use render::{ScheduledEvent, StereoBuffer};
pub use tempo::TempoMap;

/// The CLAP plugin id of Octolane.
pub const PLUGIN_ID: &str = "dev.octolane.synth";

/// Environment variable that overrides the location of the `.clap` bundle.
pub const BUNDLE_ENV_VAR: &str = "OCTOLANE_CLAP";

/// Where the bundled plugin is expected: `$OCTOLANE_CLAP` if set, else the debug bundle
/// `cargo xtask test` copies to `<workspace>/target/debug-bundle/Octolane.clap` (a debug
/// build, so nice-plug's allocation trap is armed; `target/bundled` may hold a release one).
pub fn bundle_path() -> PathBuf {
    if let Some(path) = std::env::var_os(BUNDLE_ENV_VAR) {
        return PathBuf::from(path);
    }
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir.parent().unwrap_or(&manifest_dir);
    workspace
        .join("target")
        .join("debug-bundle")
        .join("Octolane.clap")
}

/// Returns [`bundle_path`], panicking with instructions to build it when the file is missing.
///
/// Tests call this so that a missing bundle fails loudly instead of passing silently.
#[track_caller]
pub fn require_bundle() -> PathBuf {
    let path = bundle_path();
    assert!(
        path.is_file(),
        "the Octolane debug CLAP bundle was not found at {}: `cargo xtask test` builds it \
         there (or point {BUNDLE_ENV_VAR} at a built .clap file)",
        path.display()
    );
    path
}

/// Loads a fresh Octolane instance from [`require_bundle`], panicking on failure.
#[track_caller]
pub fn load_octolane() -> PluginHost {
    let path = require_bundle();
    PluginHost::load(&path, PLUGIN_ID)
        .unwrap_or_else(|e| panic!("loading {} failed: {e}", path.display()))
}
