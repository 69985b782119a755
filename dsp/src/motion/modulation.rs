//! What the enabled lanes add up to at one control tick, per destination, and how that is
//! folded into the values every voice and the kernel use until the next tick.
//!
//! A lane contributes `depth × value` (depth −1…+1, value 0…1) scaled to its destination's
//! range. Amplitude and LFO depth are scales instead: at depth d ≥ 0 the lane's value v gives
//! `1 − d(1 − v)` (the lane *is* the gain at full depth: a gate), at d < 0 it gives `1 + d·v`
//! (inverted). Lanes on the same destination add up (scales multiply).

use super::lane::Destination;
use crate::control::{CONTROL_INTERVAL, ControlParams};
use crate::render::RunParams;

/// Cutoff range at full depth, in octaves.
pub const CUTOFF_RANGE_OCT: f32 = 6.0;
/// Pitch range at full depth, in semitones.
pub const PITCH_RANGE_ST: f32 = 12.0;
/// Unison detune range at full depth, in semitones (100 cents).
pub const DETUNE_RANGE_ST: f32 = 1.0;

/// The sum of every enabled lane at one tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Modulation {
    /// Cutoff offset in octaves.
    pub cutoff_oct: f32,
    /// Resonance offset (0…1 scale).
    pub resonance: f32,
    /// Pitch offset in semitones.
    pub pitch_st: f32,
    /// Voice gain scale, ≥ 0.
    pub amp_scale: f32,
    /// Pan offset, −1…1 scale.
    pub pan: f32,
    /// Oscillator 2 level offset.
    pub osc2_level: f32,
    /// Scale of every LFO amount, ≥ 0.
    pub lfo_scale: f32,
    /// Unison detune offset in semitones.
    pub detune_st: f32,
    /// Drive offset (0…1 scale).
    pub drive: f32,
}

impl Default for Modulation {
    /// No modulation: offsets 0, scales 1.
    fn default() -> Self {
        Self {
            cutoff_oct: 0.0,
            resonance: 0.0,
            pitch_st: 0.0,
            amp_scale: 1.0,
            pan: 0.0,
            osc2_level: 0.0,
            lfo_scale: 1.0,
            detune_st: 0.0,
            drive: 0.0,
        }
    }
}

/// A scale from a depth and a lane value (see the module notes).
fn scale(depth: f32, value: f32) -> f32 {
    if depth >= 0.0 {
        1.0 - depth * (1.0 - value)
    } else {
        1.0 + depth * value
    }
}

impl Modulation {
    /// Add one lane at `value` (0…1) with `depth` (−1…1) to `destination`. O(1).
    pub fn add(&mut self, destination: Destination, depth: f32, value: f32) {
        let amount = depth * value;
        match destination {
            Destination::Cutoff => self.cutoff_oct += amount * CUTOFF_RANGE_OCT,
            Destination::Resonance => self.resonance += amount,
            Destination::Pitch => self.pitch_st += amount * PITCH_RANGE_ST,
            Destination::Amplitude => self.amp_scale *= scale(depth, value),
            Destination::Pan => self.pan += amount,
            Destination::Osc2Level => self.osc2_level += amount,
            Destination::LfoDepth => self.lfo_scale *= scale(depth, value),
            Destination::UnisonDetune => self.detune_st += amount * DETUNE_RANGE_ST,
            Destination::Drive => self.drive += amount,
        }
    }

    /// Fold the modulation into one tick's control and kernel values. `osc2_prev` carries the
    /// oscillator 2 level offset of the previous tick so its ramp stays continuous. Values no
    /// lane touches are left bit for bit as they were. Allocation-free, O(1).
    pub fn apply(&self, c: &mut ControlParams, run: &mut RunParams, osc2_prev: &mut f32) {
        c.cutoff_log2 += self.cutoff_oct;
        c.lane_pitch_st = self.pitch_st;
        c.lane_pan = self.pan;
        if self.resonance != 0.0 {
            let resonance = ((2.0 - c.k) / 1.96 + self.resonance).clamp(0.0, 1.0);
            c.k = 2.0 - 1.96 * resonance;
            run.k = c.k;
        }
        if self.amp_scale != 1.0 {
            c.unison_norm *= self.amp_scale.max(0.0);
        }
        if self.lfo_scale != 1.0 {
            let s = self.lfo_scale.max(0.0);
            c.vibrato_st *= s;
            c.lfo_cut_oct *= s;
            c.lfo_amp = (c.lfo_amp * s).min(1.0);
            c.lfo_pan *= s;
        }
        if self.detune_st != 0.0 {
            c.detune_st = (c.detune_st + self.detune_st).max(0.0);
        }
        if self.drive != 0.0 {
            let drive = ((run.drive_in - 1.0) / 9.0 + self.drive).clamp(0.0, 1.0);
            run.drive_in = 1.0 + 9.0 * drive;
            run.drive_out = 1.0 / run.drive_in.sqrt();
        }
        if self.osc2_level != 0.0 || *osc2_prev != 0.0 {
            let interval = CONTROL_INTERVAL as f32;
            let (start, step) = run.level2;
            let end = start + step * interval;
            let from = (start + *osc2_prev).clamp(0.0, 1.0);
            let to = (end + self.osc2_level).clamp(0.0, 1.0);
            run.level2 = (from, (to - from) / interval);
        }
        *osc2_prev = self.osc2_level;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_gate_at_full_depth_and_invert_below_zero() {
        assert_eq!(scale(1.0, 0.0), 0.0);
        assert_eq!(scale(1.0, 1.0), 1.0);
        assert_eq!(scale(0.5, 0.0), 0.5);
        assert_eq!(scale(-1.0, 1.0), 0.0);
        assert_eq!(scale(-1.0, 0.0), 1.0);
        assert_eq!(scale(0.0, 0.3), 1.0);
    }

    #[test]
    fn lanes_on_one_destination_add_up() {
        let mut m = Modulation::default();
        m.add(Destination::Cutoff, 0.5, 1.0);
        m.add(Destination::Cutoff, -0.25, 1.0);
        assert_eq!(m.cutoff_oct, 0.25 * CUTOFF_RANGE_OCT);
        m.add(Destination::Amplitude, 1.0, 0.5);
        m.add(Destination::Amplitude, 1.0, 0.5);
        assert_eq!(m.amp_scale, 0.25);
        m.add(Destination::Pitch, -1.0, 1.0);
        assert_eq!(m.pitch_st, -PITCH_RANGE_ST);
    }
}
