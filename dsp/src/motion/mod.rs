//! Motion lanes: tempo-synced breakpoint curves ("cursor automation") that modulate one
//! destination each.
//!
//! - [`lane`]: points, curves, destinations, sync modes, settings.
//! - [`validate`]: repairing untrusted points (from a saved state) with a reason.
//! - [`cursor`]: [`LaneCursor`], amortized O(1) per step in steady playback, O(log n) jumps.
//! - [`position`]: song position and per-lane clocks, block-split independent.
//! - [`exchange`]: lock-free snapshot hand-over from the editor to the audio thread.
//! - [`modulation`]: what the lanes add up to, folded into each control tick.
//! - [`bank`]: the engine's eight lanes.

pub mod bank;
pub mod cursor;
pub mod exchange;
pub mod lane;
pub mod modulation;
pub mod position;
pub mod reference;
pub mod validate;

pub use bank::LaneBank;
pub use cursor::LaneCursor;
pub use exchange::{LaneSnapshot, SnapshotReceiver, SnapshotSender, snapshot_exchange};
pub use lane::{
    Curve, Destination, Lane, LaneCurve, LanePoint, LaneSettings, MAX_LENGTH_BEATS, MAX_POINTS,
    MIN_LENGTH_BEATS, SyncMode,
};
pub use modulation::Modulation;
pub use position::{LanePlayer, SongPosition, beats_per_sample};
pub use validate::Repaired;

/// Number of motion lanes an engine has.
pub const LANE_COUNT: usize = 8;
