//! What every engine does, whatever its lanes: the interface the plugin, the tests and the
//! benches drive, implemented by [`Engine`](crate::Engine) over any lane type and by
//! [`SimdEngine`](crate::SimdEngine), which picks its lanes for the CPU.

use crate::event::{Event, Transport};
use crate::motion::{LaneBank, SnapshotReceiver};
use crate::patch::Patch;

/// A polyphonic synth engine.
pub trait Synth: Send {
    /// An engine with every lane allocated, for `sample_rate` (clamped to 8…384 kHz).
    fn new(sample_rate: f32) -> Self
    where
        Self: Sized;

    /// Re-prepare for a sample rate: silence, settle smoothers on the current patch, reset
    /// the clock. Motion lanes keep their curves. Not realtime (call from activate).
    fn prepare(&mut self, sample_rate: f32);

    /// Silence every voice and forget held keys and controllers. Allocation-free.
    fn reset(&mut self);

    /// Take the parameter block for the following samples; continuous values glide.
    /// Allocation-free, O(1).
    fn set_patch(&mut self, patch: &Patch);

    /// Take the host transport for the following samples. Allocation-free, O(1).
    fn set_transport(&mut self, transport: &Transport);

    /// Take the audio end of the lane-snapshot exchange; returns the previous one. Not
    /// realtime (call before processing starts).
    fn set_lane_receiver(&mut self, receiver: SnapshotReceiver) -> Option<SnapshotReceiver>;

    /// The motion lanes: installed curves, last values and positions.
    fn motion(&self) -> &LaneBank;

    /// The motion lanes, to install curves directly (not realtime).
    fn motion_mut(&mut self) -> &mut LaneBank;

    /// Lanes sounding now (fading ones included).
    fn active_voices(&self) -> usize;

    /// Output samples whose mix was not finite before the limiter silenced them, since the
    /// engine was created. Always 0 unless something is broken.
    fn non_finite_samples(&self) -> u64;

    /// Render one block. Events must be sorted by offset (later ones out of order apply at
    /// once); offsets past the end apply at the end. Allocation-free; O(frames × active
    /// lanes + events × lanes touched).
    fn process(&mut self, events: &[Event], left: &mut [f32], right: &mut [f32]);
}
