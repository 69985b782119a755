//! Engine-wide control state: the patch being played, smoothed continuous values, the
//! performance controls (bend, wheel, pressure, pedal) and the tempo. Once per control tick it
//! turns these into the `ControlParams` every voice reads and the `RunParams` of the kernel.

use crate::control::{
    ATTACK_TARGET, CONTROL_INTERVAL, ControlParams, EnvCoefs, RELEASE_TARGET, RateLog2,
};
use crate::oscillator::Width;
use crate::patch::{EnvPatch, Patch};
use crate::render::RunParams;

/// Time constant of parameter smoothing in seconds.
const SMOOTHING_S: f32 = 0.005;
/// Per-voice gain before the master gain: room for a full chord of two-oscillator voices
/// below the limiter's knee at the default master gain.
pub const VOICE_HEADROOM: f32 = 0.35;
/// Duration of the fade a stolen or choked voice takes, in seconds.
pub const FADE_S: f32 = 0.002;

/// A value that glides toward its target once per control tick.
#[derive(Clone, Copy, Debug, Default)]
struct Smoothed {
    now: f32,
    target: f32,
}

impl Smoothed {
    fn new(value: f32) -> Self {
        Self {
            now: value,
            target: value,
        }
    }

    /// Step once; returns (value before, value after).
    fn step(&mut self, k: f32) -> (f32, f32) {
        let before = self.now;
        self.now += (self.target - self.now) * k;
        if (self.target - self.now).abs() < 1e-6 {
            self.now = self.target;
        }
        (before, self.now)
    }
}

/// Engine-wide state that is not per voice.
#[derive(Clone, Debug)]
pub struct Globals {
    /// The patch (sanitized) the engine plays.
    pub patch: Patch,
    sample_rate: f32,
    /// The sample rate's log2 terms of the tick's exponentials.
    rate_log2: RateLog2,
    smoothing_k: f32,
    cutoff_log2: Smoothed,
    resonance: Smoothed,
    drive: Smoothed,
    pw1: Smoothed,
    pw2: Smoothed,
    level1: Smoothed,
    level2: Smoothed,
    noise: Smoothed,
    gain: Smoothed,
    /// Modulation depths, glided like the levels so automating them never zippers.
    depths: [Smoothed; DEPTHS],
    /// Pitch bend, −1…1.
    pub bend: f32,
    /// Mod wheel, 0…1.
    pub mod_wheel: f32,
    /// Channel pressure, 0…1.
    pub pressure: f32,
    /// Sustain pedal down.
    pub sustain_down: bool,
    /// Tempo in BPM (120 when the host gives none).
    pub tempo_bpm: f64,
    /// Shared LFO phase for voices that do not retrigger.
    pub free_lfo_phase: f32,
    /// Coefficients that change only with the patch, not every tick.
    fixed: FixedCoefs,
    /// The last tick's outputs while nothing moves (see [`Globals::tick`]).
    steady: Option<Steady>,
}

/// What a control tick gives the voices and the kernel until the next one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tick {
    /// Values every voice's control step reads.
    pub control: ControlParams,
    /// Values the audio-rate kernel reads.
    pub run: RunParams,
    /// Master gain ramp: (start, step per sample).
    pub gain: (f32, f32),
}

/// A tick's outputs, valid while the patch, every smoother and the performance controls
/// stay as they were.
#[derive(Clone, Copy, Debug)]
struct Steady {
    controls: [f32; 3],
    tempo_bpm: f64,
    outputs: Tick,
}

/// Envelope and glide coefficients: they follow the patch and the sample rate only, so they
/// are computed when the patch changes (16 `ln`/`exp` pairs) rather than at every tick.
#[derive(Clone, Copy, Debug)]
struct FixedCoefs {
    amp: EnvCoefs,
    modenv: EnvCoefs,
    glide_k: f32,
}

/// Indices of the smoothed modulation depths.
const KEY_TRACK: usize = 0;
const ENV_OCT: usize = 1;
const VEL_OCT: usize = 2;
const PRESSURE_OCT: usize = 3;
const LFO_CUTOFF: usize = 4;
const LFO_PITCH: usize = 5;
const LFO_AMP: usize = 6;
const LFO_PAN: usize = 7;
const MOD_PITCH: usize = 8;
const DETUNE: usize = 9;
const WIDTH: usize = 10;
const DEPTHS: usize = 11;

/// The patch's modulation depths, in the order of the indices above.
fn depth_targets(p: &Patch) -> [f32; DEPTHS] {
    [
        p.filter.key_track,
        p.filter.env_amount_oct,
        p.filter.velocity_oct,
        p.voice.pressure_oct,
        p.lfo.to_cutoff_oct,
        p.lfo.to_pitch_st,
        p.lfo.to_amp,
        p.lfo.to_pan,
        p.voice.mod_env_pitch_st,
        p.voice.unison_detune_cents,
        p.voice.unison_width,
    ]
}

fn db_to_gain(db: f32) -> f32 {
    10f32.powf(db / 20.0)
}

fn resonance_to_k(resonance: f32) -> f32 {
    2.0 - 1.96 * resonance
}

impl Globals {
    /// State for a patch at a sample rate, with every smoother settled.
    pub fn new(patch: &Patch, sample_rate: f32) -> Self {
        let p = patch.sanitized();
        let interval = CONTROL_INTERVAL as f32;
        Self {
            patch: p,
            sample_rate,
            rate_log2: RateLog2::new(sample_rate),
            smoothing_k: 1.0 - (-interval / (SMOOTHING_S * sample_rate)).exp(),
            cutoff_log2: Smoothed::new(p.filter.cutoff_hz.log2()),
            resonance: Smoothed::new(p.filter.resonance),
            drive: Smoothed::new(p.filter.drive),
            pw1: Smoothed::new(p.osc1.pulse_width),
            pw2: Smoothed::new(p.osc2.pulse_width),
            level1: Smoothed::new(p.osc1.level),
            level2: Smoothed::new(p.osc2.level),
            noise: Smoothed::new(p.noise_level),
            gain: Smoothed::new(db_to_gain(p.voice.master_gain_db)),
            depths: depth_targets(&p).map(Smoothed::new),
            bend: 0.0,
            mod_wheel: 0.0,
            pressure: 0.0,
            sustain_down: false,
            tempo_bpm: 120.0,
            free_lfo_phase: 0.0,
            fixed: FixedCoefs::new(&p, sample_rate),
            steady: None,
        }
    }

    /// Sample rate in Hz.
    pub fn sample_rate(&self) -> f32 {
        self.sample_rate
    }

    /// Take a new patch; continuous values will glide to it. Allocation-free.
    pub fn set_patch(&mut self, patch: &Patch) {
        let p = patch.sanitized();
        if p != self.patch {
            self.steady = None;
        }
        let old = &self.patch;
        if (old.amp_env, old.mod_env, old.voice.glide_s) != (p.amp_env, p.mod_env, p.voice.glide_s)
        {
            self.fixed = FixedCoefs::new(&p, self.sample_rate);
        }
        self.patch = p;
        self.cutoff_log2.target = p.filter.cutoff_hz.log2();
        self.resonance.target = p.filter.resonance;
        self.drive.target = p.filter.drive;
        self.pw1.target = p.osc1.pulse_width;
        self.pw2.target = p.osc2.pulse_width;
        self.level1.target = p.osc1.level;
        self.level2.target = p.osc2.level;
        self.noise.target = p.noise_level;
        self.gain.target = db_to_gain(p.voice.master_gain_db);
        for (d, target) in self.depths.iter_mut().zip(depth_targets(&p)) {
            d.target = target;
        }
    }

    /// LFO frequency in Hz (free or from the tempo).
    fn lfo_hz(&self) -> f32 {
        let l = &self.patch.lfo;
        if l.sync {
            let tempo = if self.tempo_bpm.is_finite() && self.tempo_bpm > 0.0 {
                self.tempo_bpm.clamp(1.0, 1000.0)
            } else {
                120.0
            };
            (tempo / 60.0 / l.division.beats()) as f32
        } else {
            l.rate_hz
        }
    }

    fn smoothers(&self) -> impl Iterator<Item = &Smoothed> {
        [
            &self.cutoff_log2,
            &self.resonance,
            &self.drive,
            &self.pw1,
            &self.pw2,
            &self.level1,
            &self.level2,
            &self.noise,
            &self.gain,
        ]
        .into_iter()
        .chain(&self.depths)
    }

    /// Advance the smoothers one tick and write what voices and the kernel use until the
    /// next one into `out` (in place: the engine reads it field by field right after, and
    /// a copy of a freshly written struct would stall on store forwarding). While the patch,
    /// the smoothers and the performance controls stay still, the outputs do too, and the
    /// last ones are reused. Allocation-free, O(1).
    pub fn tick(&mut self, out: &mut Tick) {
        let controls = [self.bend, self.mod_wheel, self.pressure];
        if let Some(steady) = &self.steady
            && steady.controls == controls
            && steady.tempo_bpm.to_bits() == self.tempo_bpm.to_bits()
        {
            *out = steady.outputs;
            self.advance_free_lfo(out.control.lfo_inc);
            return;
        }
        let was_settled = self.smoothers().all(|s| s.now == s.target);
        self.compute_tick(out);
        self.steady = was_settled.then_some(Steady {
            controls,
            tempo_bpm: self.tempo_bpm,
            outputs: *out,
        });
    }

    fn advance_free_lfo(&mut self, lfo_inc: f32) {
        self.free_lfo_phase += lfo_inc;
        self.free_lfo_phase -= self.free_lfo_phase.floor();
    }

    fn compute_tick(&mut self, out: &mut Tick) {
        let k = self.smoothing_k;
        let interval = CONTROL_INTERVAL as f32;
        let per_sample = |(a, b): (f32, f32)| (a, (b - a) / interval);
        let cutoff_log2 = self.cutoff_log2.step(k).1;
        let resonance = self.resonance.step(k).1;
        let drive = self.drive.step(k).1;
        let pw1 = self.pw1.step(k).1;
        let pw2 = self.pw2.step(k).1;
        let level1 = per_sample(self.level1.step(k));
        let level2 = per_sample(self.level2.step(k));
        let noise = per_sample(self.noise.step(k));
        let gain = per_sample(self.gain.step(k));
        let mut depth = [0.0; DEPTHS];
        for (d, smoothed) in depth.iter_mut().zip(self.depths.iter_mut()) {
            *d = smoothed.step(k).1;
        }

        let lfo_inc = (self.lfo_hz() * interval / self.sample_rate).min(0.5);
        self.advance_free_lfo(lfo_inc);
        let p = &self.patch;
        let transpose = |o: &crate::patch::OscPatch| {
            (o.octave * 12 + o.semitones) as f32 + o.fine_cents / 100.0
        };
        let unison = p.voice.unison as f32;
        out.control = ControlParams {
            glide_k: self.fixed.glide_k,
            lfo_inc,
            lfo_wave: p.lfo.wave,
            amp: self.fixed.amp,
            modenv: self.fixed.modenv,
            bend_st: self.bend * p.voice.bend_range_st,
            vibrato_st: depth[LFO_PITCH] * self.mod_wheel,
            osc1_st: transpose(&p.osc1),
            osc2_st: transpose(&p.osc2),
            detune_st: depth[DETUNE] / 100.0,
            width: depth[WIDTH],
            cutoff_log2,
            key_track: depth[KEY_TRACK],
            env_oct: depth[ENV_OCT],
            vel_oct: depth[VEL_OCT],
            pressure_oct: self.pressure * depth[PRESSURE_OCT],
            lfo_cut_oct: depth[LFO_CUTOFF],
            mod_pitch_st: depth[MOD_PITCH],
            lfo_amp: depth[LFO_AMP],
            lfo_pan: depth[LFO_PAN],
            k: resonance_to_k(resonance),
            rate: self.rate_log2,
            vel_sens: p.voice.velocity_sens,
            unison_norm: VOICE_HEADROOM / unison.sqrt(),
            lane_pitch_st: 0.0,
            lane_pan: 0.0,
        };
        let drive_in = 1.0 + 9.0 * drive;
        out.run = RunParams {
            wave1: p.osc1.wave,
            wave2: p.osc2.wave,
            width1: Width::new(pw1),
            width2: Width::new(pw2),
            level1,
            level2,
            noise,
            drive_in,
            drive_out: 1.0 / drive_in.sqrt(),
            mode: p.filter.mode,
            k: resonance_to_k(resonance),
            tick_pos: 0,
        };
        out.gain = gain;
    }
}

impl FixedCoefs {
    fn new(p: &Patch, sample_rate: f32) -> Self {
        let interval = CONTROL_INTERVAL as f32;
        let glide_k = if p.voice.glide_s > 0.0 {
            1.0 - (-interval / (p.voice.glide_s * sample_rate)).exp()
        } else {
            1.0
        };
        Self {
            amp: env_coefs(&p.amp_env, 1.0, sample_rate),
            modenv: env_coefs(&p.mod_env, interval, sample_rate),
            glide_k,
        }
    }
}

/// Coefficient per step of `step_samples` that leaves `remaining` of the distance to the
/// target after `seconds`.
fn coef(seconds: f32, remaining: f32, step_samples: f32, sample_rate: f32) -> f32 {
    (remaining.ln() * step_samples / (seconds * sample_rate)).exp()
}

fn env_coefs(e: &EnvPatch, step_samples: f32, sample_rate: f32) -> EnvCoefs {
    let to_silence = -RELEASE_TARGET / (1.0 - RELEASE_TARGET);
    let coef = |seconds: f32, remaining: f32| coef(seconds, remaining, step_samples, sample_rate);
    EnvCoefs {
        attack: coef(e.attack_s, 1.0 - 1.0 / ATTACK_TARGET),
        decay: coef(e.decay_s, 1e-3),
        sustain: e.sustain,
        release: coef(e.release_s, to_silence),
        fade: coef(FADE_S, to_silence),
    }
}

#[cfg(test)]
#[path = "globals_tests.rs"]
mod tests;
