//! Structure of arrays for eight (or, in the scalar reference, one) voices: every per-voice
//! field is one `Lanes` value, so one instruction advances every voice of the group.

use crate::lanes::Lanes;
use crate::oscillator::{WINDOW, Window};

macro_rules! voice_group {
    (
        $(#[doc = $doc:literal] $field:ident,)*
        windows: $(#[doc = $window_doc:literal] $window:ident,)*
    ) => {
        /// The state of one lane group. A voice is a (group, lane) pair.
        #[derive(Clone, Copy, Default)]
        pub struct VoiceGroup<L: Lanes> {
            $(#[doc = $doc] pub $field: L,)*
            /// White-noise generator state, one xorshift32 per lane.
            pub noise: L::Bits,
            /// Sample-and-hold LFO generator state, one xorshift32 per lane.
            pub lfo_rng: L::Bits,
            $(#[doc = $window_doc] pub $window: Window<L>,)*
        }

        impl<L: Lanes> VoiceGroup<L> {
            /// Copy every field of lane `from` of `src` into lane `to` of `self`.
            pub fn copy_lane_from(&mut self, to: usize, src: &VoiceGroup<L>, from: usize) {
                $(self.$field.set_lane(to, src.$field.lane(from));)*
                L::seed_noise(&mut self.noise, to, L::noise_lane(&src.noise, from));
                L::seed_noise(&mut self.lfo_rng, to, L::noise_lane(&src.lfo_rng, from));
                for slot in 0..WINDOW {
                    $(self.$window[slot].set_lane(to, src.$window[slot].lane(from));)*
                }
            }

            /// Zero every field of one lane (an idle lane renders exact silence).
            pub fn clear_lane(&mut self, lane: usize) {
                $(self.$field.set_lane(lane, 0.0);)*
                for slot in 0..WINDOW {
                    $(self.$window[slot].set_lane(lane, 0.0);)*
                }
            }
        }
    };
}

voice_group! {
    /// Oscillator 1 phase (integer lane bits, see `oscillator`).
    phase1,
    /// Oscillator 2 phase.
    phase2,
    /// Oscillator 1 phase increment per sample (integer lane bits).
    inc1,
    /// Oscillator 2 phase increment per sample.
    inc2,
    /// 1 / inc1 as a float (samples per phase unit).
    inv_inc1,
    /// 1 / inc2.
    inv_inc2,
    /// First filter stage integrator 1.
    s1a,
    /// First filter stage integrator 2.
    s2a,
    /// Second filter stage integrator 1.
    s1b,
    /// Second filter stage integrator 2.
    s2b,
    /// Resonant stage p = 2d − 1, d = 1 / (1 + g(g + k)), g = tan(π·fc/fs) (`svf_step`).
    fa1,
    /// Resonant stage q = 2gd.
    fa2,
    /// Resonant stage r = 1 − 2g²d.
    fa3,
    /// Butterworth (first LP24) stage p, with d = 1 / (1 + g(g + √2)).
    fb1,
    /// Butterworth stage q.
    fb2,
    /// Butterworth stage r.
    fb3,
    /// Amp envelope level, 0…1.
    amp_level,
    /// Amp envelope stage (see `Stage`).
    amp_stage,
    /// Amp envelope target of the current segment.
    amp_target,
    /// Amp envelope per-sample coefficient of the current segment.
    amp_coef,
    /// Amp envelope floor of the current segment.
    amp_floor,
    /// Mod envelope level, 0…1 (control rate).
    mod_level,
    /// Mod envelope stage.
    mod_stage,
    /// Left gain now (ramped per sample).
    gain_l,
    /// Right gain now.
    gain_r,
    /// Left gain step per sample.
    dgain_l,
    /// Right gain step per sample.
    dgain_r,
    /// LFO phase, 0…1.
    lfo_phase,
    /// Sample-and-hold value, −1…1.
    lfo_held,
    /// Current (gliding) pitch as a MIDI note number.
    pitch,
    /// Pitch the glide heads to.
    pitch_target,
    /// Note velocity, 0…1.
    velocity,
    /// Unison detune position, −0.5…0.5 (× the detune spread).
    unison_offset,
    /// Unison pan position, −1…1 (× the width).
    unison_pan,
    windows:
    /// Oscillator 1's output samples of the control interval (see `oscillator`).
    window1,
    /// Oscillator 2's output samples of the control interval.
    window2,
}

/// Envelope stages, stored as lane floats.
pub struct Stage;

impl Stage {
    /// Not sounding.
    pub const IDLE: f32 = 0.0;
    /// Rising to full level.
    pub const ATTACK: f32 = 1.0;
    /// Falling to (and holding) the sustain level.
    pub const DECAY: f32 = 2.0;
    /// Falling to silence after note-off.
    pub const RELEASE: f32 = 3.0;
    /// Fast fade of a stolen or choked voice (about 2 ms).
    pub const FADE: f32 = 4.0;
}
