//! Octolane's host parameters: every field of `octolane_dsp::Patch`, with stable ids.
//!
//! Parameter ids are a promise: once released they are never renamed or reused, because
//! hosts store them in projects and automation lanes. docs/PARAMS.md lists them all, and the
//! unit tests below fail if an id disappears or a new one is not documented.
//!
//! Groups (as hosts show them, and as the editor lays them out): Oscillators, Filter,
//! Envelopes, LFO, Voice, Output. No parameter uses a nice-plug smoother; the audio thread
//! reads plain values once per block with [`OctolaneParams::patch`] and ramps them itself.
//!
//! The editor's window state is *not* part of this struct: nice-plug-egui 0.6's
//! `EguiEditorState` is not serde-serializable, so the plugin owns it separately (see
//! `crate::editor::default_state`).

mod build;
mod choices;
mod format;
mod motion;
mod sections;
#[cfg(test)]
mod tests;

pub use choices::{Division, FilterChoice, LfoShape, OscWave};
pub use motion::{LaneDestination, LaneLength, LaneParams, LaneSync, MotionParams};
pub use sections::{
    EnvParams, EnvelopeParams, FilterParams, LfoParams, OscParams, OscillatorParams, OutputParams,
    VoiceParams,
};

use crate::lanes::LaneStore;
use nice_plug::prelude::*;
use octolane_dsp::{EnvPatch, FilterPatch, LfoPatch, OscPatch, Patch, VoicePatch};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Version of the saved-state layout. Bump it (and teach [`upgrade_state`] the step) whenever
/// a change needs old projects migrated: a range change, a renamed choice, a new meaning.
pub const STATE_FORMAT_VERSION: u32 = 1;

/// Key of the persisted format-version field in `PluginState::fields`.
pub const FORMAT_VERSION_KEY: &str = "format_version";

/// Every host parameter, grouped like the editor.
#[derive(Params)]
pub struct OctolaneParams {
    /// Saved-state format version: persisted with the state, never automatable, not a host
    /// parameter. Holds [`STATE_FORMAT_VERSION`] unless a state was just loaded.
    #[persist = "format_version"]
    pub format_version: Arc<AtomicU32>,
    /// The editor's "Performance" switch: while on, the audio thread times every callback and
    /// sends telemetry records to the editor. Persisted with the state, never automatable, not
    /// a host parameter; off by default.
    #[persist = "performance"]
    pub performance: Arc<AtomicBool>,
    /// Oscillators group.
    #[nested(group = "Oscillators")]
    pub osc: OscillatorParams,
    /// Filter group.
    #[nested(group = "Filter")]
    pub filter: FilterParams,
    /// Envelopes group.
    #[nested(group = "Envelopes")]
    pub env: EnvelopeParams,
    /// LFO group.
    #[nested(group = "LFO")]
    pub lfo: LfoParams,
    /// Voice group.
    #[nested(group = "Voice")]
    pub voice: VoiceParams,
    /// Output group.
    #[nested(group = "Output")]
    pub output: OutputParams,
    /// Motion group: lane enable, destination, depth, length and sync (`lane1_*` … `lane8_*`).
    #[nested(group = "Motion")]
    pub motion: MotionParams,
    /// The motion lanes' points: persisted with the state (validated on load), not host
    /// parameters; shared with the editor, and sent to the audio thread as snapshots.
    #[persist = "lanes"]
    pub lanes: Arc<LaneStore>,
}

impl Default for OctolaneParams {
    /// Defaults are `Patch::default()`, the warm saw pad.
    fn default() -> Self {
        Self::from_patch(&Patch::default())
    }
}

impl OctolaneParams {
    /// Parameters whose defaults are `patch` (clamped to the parameter ranges by the host
    /// as usual). Used for the default patch; handy for tests of other starting points.
    pub fn from_patch(patch: &Patch) -> Self {
        Self {
            format_version: Arc::new(AtomicU32::new(STATE_FORMAT_VERSION)),
            performance: Arc::new(AtomicBool::new(false)),
            osc: OscillatorParams::new(patch),
            filter: FilterParams::new(patch),
            env: EnvelopeParams::new(patch),
            lfo: LfoParams::new(patch),
            voice: VoiceParams::new(patch),
            output: OutputParams::new(patch),
            motion: MotionParams::new(patch),
            lanes: Arc::new(LaneStore::default()),
        }
    }

    /// The current plain values as the engine's parameter block. Reads each parameter's
    /// atomic once; allocation-free and lock-free, so it is safe to call from `process()`.
    pub fn patch(&self) -> Patch {
        let osc = |o: &OscParams| OscPatch {
            wave: o.wave.value().into(),
            pulse_width: o.pulse_width.value(),
            octave: o.octave.value(),
            semitones: o.semitones.value(),
            fine_cents: o.fine.value(),
            level: o.level.value(),
        };
        let env = |e: &EnvParams| EnvPatch {
            attack_s: e.attack.value(),
            decay_s: e.decay.value(),
            sustain: e.sustain.value(),
            release_s: e.release.value(),
        };
        let (f, l, v) = (&self.filter, &self.lfo, &self.voice);
        Patch {
            osc1: osc(&self.osc.osc1),
            osc2: osc(&self.osc.osc2),
            noise_level: self.osc.noise_level.value(),
            filter: FilterPatch {
                mode: f.mode.value().into(),
                cutoff_hz: f.cutoff.value(),
                resonance: f.resonance.value(),
                key_track: f.key_track.value(),
                env_amount_oct: f.env_amount.value(),
                velocity_oct: f.velocity.value(),
                drive: f.drive.value(),
            },
            amp_env: env(&self.env.amp),
            mod_env: env(&self.env.modulation),
            lfo: LfoPatch {
                wave: l.wave.value().into(),
                rate_hz: l.rate.value(),
                sync: l.sync.value(),
                division: l.division.value().into(),
                retrigger: l.retrigger.value(),
                to_pitch_st: l.to_pitch.value(),
                to_cutoff_oct: l.to_cutoff.value(),
                to_amp: l.to_amp.value(),
                to_pan: l.to_pan.value(),
            },
            voice: VoicePatch {
                polyphony: v.polyphony.value().max(1) as u32,
                unison: v.unison.value().max(1) as u32,
                unison_detune_cents: v.unison_detune.value(),
                unison_width: v.unison_width.value(),
                glide_s: v.glide.value(),
                bend_range_st: v.bend_range.value(),
                pressure_oct: v.pressure_cutoff.value(),
                velocity_sens: v.velocity_sens.value(),
                mod_env_pitch_st: self.env.mod_env_pitch.value(),
                master_gain_db: self.output.gain.value(),
            },
            motion: self.motion.settings(),
        }
    }

    /// Whether the Performance switch is on. Wait-free; read once per callback.
    pub fn performance(&self) -> bool {
        self.performance.load(Ordering::Relaxed)
    }

    /// The state format version currently held (the loaded state's, right after a load).
    pub fn format_version(&self) -> u32 {
        self.format_version.load(Ordering::Relaxed)
    }
}

/// The format version a saved state's persisted fields declare. `None` when the field is
/// missing or unreadable.
pub fn saved_format_version(fields: &BTreeMap<String, String>) -> Option<u32> {
    fields.get(FORMAT_VERSION_KEY)?.trim().parse().ok()
}

/// What [`upgrade_state`] did with a saved state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateUpgrade {
    /// Already the current format; nothing changed.
    Current,
    /// Migrated from the given older version (or from a state without a version, `0`).
    Migrated(u32),
    /// Written by a newer Octolane; loaded as far as this version understands it (unknown
    /// parameter ids are ignored by nice-plug, missing ones keep their defaults).
    FromNewer(u32),
}

/// Brings a saved state's persisted fields up to [`STATE_FORMAT_VERSION`]; meant for
/// `Plugin::filter_state`. Version 1 is the first format, so today this only stamps states
/// that lack the field; each future version adds its migration step here. Runs on the main
/// thread (it may allocate).
pub fn upgrade_state(fields: &mut BTreeMap<String, String>) -> StateUpgrade {
    let saved = saved_format_version(fields).unwrap_or(0);
    // Whatever was loaded, the state saved next is written in this version's layout.
    fields.insert(
        FORMAT_VERSION_KEY.to_string(),
        STATE_FORMAT_VERSION.to_string(),
    );
    match saved {
        STATE_FORMAT_VERSION => StateUpgrade::Current,
        newer if newer > STATE_FORMAT_VERSION => StateUpgrade::FromNewer(newer),
        older => StateUpgrade::Migrated(older),
    }
}
