//! Control-rate work, done for every group once per `CONTROL_INTERVAL` samples at absolute
//! sample positions (so it never depends on where the host's blocks begin): glide, LFO, mod
//! envelope, envelope stage changes, pitch → phase increments, cutoff → filter coefficients,
//! and the gain ramps for the next interval.

use crate::lanes::Lanes;
use crate::math::{exp2_times, exp2_within, sin_cos, sin_phase};
use crate::patch::LfoWave;
use crate::svf::{FILTER_OUTPUT_SCALE, svf_coefs};
use crate::voice_group::{Stage, VoiceGroup};

/// Samples between control ticks.
pub const CONTROL_INTERVAL: usize = 16;

/// Overshoot target of the attack segment: the curve bends like an analog attack.
pub const ATTACK_TARGET: f32 = 1.25;
/// Release and fade head slightly below zero so they reach silence in finite time.
pub const RELEASE_TARGET: f32 = -0.001;
/// Decay heads this far below the sustain level so it settles on it.
const DECAY_UNDERSHOOT: f32 = 1e-5;

/// One envelope's segment coefficients (per sample for the amp envelope, per tick for the
/// mod envelope).
#[derive(Clone, Copy, Debug, Default)]
pub struct EnvCoefs {
    /// Attack coefficient.
    pub attack: f32,
    /// Decay coefficient.
    pub decay: f32,
    /// Sustain level.
    pub sustain: f32,
    /// Release coefficient.
    pub release: f32,
    /// Steal/choke fade coefficient.
    pub fade: f32,
}

/// Everything a control tick needs that is the same for every voice.
#[derive(Clone, Copy, Debug, Default)]
pub struct ControlParams {
    /// Glide step per tick, 0…1 (1 = no glide).
    pub glide_k: f32,
    /// LFO phase step per tick.
    pub lfo_inc: f32,
    /// LFO waveform.
    pub lfo_wave: LfoWave,
    /// Amp envelope coefficients (per sample).
    pub amp: EnvCoefs,
    /// Mod envelope coefficients (per tick).
    pub modenv: EnvCoefs,
    /// Pitch bend in semitones.
    pub bend_st: f32,
    /// LFO → pitch in semitones (already scaled by the mod wheel).
    pub vibrato_st: f32,
    /// Oscillator 1 transposition in semitones.
    pub osc1_st: f32,
    /// Oscillator 2 transposition in semitones.
    pub osc2_st: f32,
    /// Unison detune spread in semitones.
    pub detune_st: f32,
    /// Unison stereo width, 0…1.
    pub width: f32,
    /// Base cutoff as log2(Hz).
    pub cutoff_log2: f32,
    /// Key tracking, 0…1.
    pub key_track: f32,
    /// Mod envelope → cutoff in octaves.
    pub env_oct: f32,
    /// Velocity → cutoff in octaves.
    pub vel_oct: f32,
    /// Channel pressure × its cutoff amount, in octaves.
    pub pressure_oct: f32,
    /// LFO → cutoff in octaves.
    pub lfo_cut_oct: f32,
    /// Mod envelope → pitch in semitones.
    pub mod_pitch_st: f32,
    /// LFO → amplitude, 0…1.
    pub lfo_amp: f32,
    /// LFO → pan, 0…1.
    pub lfo_pan: f32,
    /// Resonant stage damping k.
    pub k: f32,
    /// The sample rate's part of the pitches' and the cutoffs' exponentials.
    pub rate: RateLog2,
    /// Velocity sensitivity, 0…1.
    pub vel_sens: f32,
    /// Per-lane gain: the voice headroom divided by √unison, so stacks sound as loud as one voice.
    pub unison_norm: f32,
    /// Motion lanes → pitch in semitones.
    pub lane_pitch_st: f32,
    /// Motion lanes → pan offset, −1…1.
    pub lane_pan: f32,
}

/// The sample rate's part of the control tick's exponentials, in log2 units, worked out
/// once per rate: the tick adds it to a pitch's or a cutoff's log2, bounds the sum, and
/// takes one `exp2` of it to the phase increment or the filter's prewarped angle, with no
/// scaling or clamping after it. Each step after an `exp2` was a step more on the tick's
/// longest chains, which one lane group's tick waits on.
#[derive(Clone, Copy, Debug, Default)]
pub struct RateLog2 {
    /// log2 of the phase increment of MIDI note 0 in cycles per sample.
    pub increment: f32,
    /// The bounds of an increment's log2 in cycles per sample: 10⁻⁷ … 0.45.
    pub increment_range: (f32, f32),
    /// log2(π / sample rate): a cutoff's log2 plus this is its prewarped angle's.
    pub angle: f32,
    /// The bounds of an angle's log2: cutoffs of 10 Hz … 0.45 × the sample rate.
    pub angle_range: (f32, f32),
}

impl RateLog2 {
    /// The log2 terms of `sample_rate` (Hz).
    pub fn new(sample_rate: f32) -> Self {
        let rate = f64::from(sample_rate);
        let log2 = |x: f64| x.log2() as f32;
        let angle = std::f64::consts::PI / rate;
        Self {
            increment: log2(440.0 / rate) - 69.0 / 12.0,
            increment_range: (log2(1e-7), log2(0.45)),
            angle: log2(angle),
            angle_range: (log2(10.0 * angle), log2(0.45 * rate * angle)),
        }
    }
}

/// Per-lane values a tick computes for the next interval.
pub struct ControlOutputs<L: Lanes> {
    /// The oscillators' phase increments, in phase units as floats.
    inc: [L; 2],
    fa: [L; 3],
    fb: [L; 3],
    gain_l: L,
    gain_r: L,
}

#[inline(always)]
fn stage_is<L: Lanes>(stage: L, which: f32) -> L {
    stage.eq(L::splat(which))
}

/// Advance the control-rate state of a group by one tick. Allocation-free, O(1).
#[inline(always)]
pub fn advance<L: Lanes>(g: &mut VoiceGroup<L>, c: &ControlParams) {
    g.pitch = g.pitch + (g.pitch_target - g.pitch) * L::splat(c.glide_k);

    // The step is at most half a cycle (see `Globals`), so a phase that wrapped is below 2.
    let phase = g.lfo_phase + L::splat(c.lfo_inc);
    let wrapped = L::splat(1.0).le(phase);
    g.lfo_phase = phase - wrapped.and(L::splat(1.0));
    if c.lfo_wave == LfoWave::SampleHold {
        let fresh = L::noise(&mut g.lfo_rng);
        g.lfo_held = wrapped.select(fresh, g.lfo_held);
    }

    // Mod envelope, one tick per step.
    let m = &c.modenv;
    let (target, coef, floor) = segment(g.mod_stage, g.mod_level, m);
    let level = target + (g.mod_level - target) * coef;
    g.mod_level = level.min(L::splat(1.0)).max(floor);
    g.mod_stage = finish_attack(g.mod_stage, g.mod_level);

    // Amp envelope runs per sample; its stage changes and segment constants are set here,
    // from the level the last segment left (the kernel keeps it unclamped).
    g.amp_level = amp_sounding(g.amp_level, g.amp_floor);
    g.amp_stage = finish_attack(g.amp_stage, g.amp_level);
    let (target, coef, floor) = segment(g.amp_stage, g.amp_level, &c.amp);
    g.amp_target = target;
    g.amp_coef = coef;
    g.amp_floor = floor;
}

/// The amp envelope's level as it sounds, from the level its segment's recurrence reached.
/// The kernel steps a level without bounds, so that a sample waits on two operations of
/// the previous one rather than four; the segment's bounds (1 above, `floor` below) apply
/// to what it plays, and to the level a tick or a new segment takes up. Each segment heads
/// past the bound it can reach and never turns back, so this is the level a recurrence
/// clamped at every step would hold, to the bit.
#[inline(always)]
pub fn amp_sounding<L: Lanes>(level: L, floor: L) -> L {
    level.min(L::splat(1.0)).max(floor)
}

#[inline(always)]
fn finish_attack<L: Lanes>(stage: L, level: L) -> L {
    let done = stage_is(stage, Stage::ATTACK).and(L::splat(1.0).le(level));
    // ATTACK + 1 = DECAY: an add rather than a blend, which LLVM would turn into a masked
    // store to the group (microcoded and slow on AMD).
    stage + done.and(L::splat(Stage::DECAY - Stage::ATTACK))
}

/// Target, coefficient and floor of each lane's current envelope segment. The stage masks
/// exclude each other, so each value is an OR of masked constants (an idle lane gets zeros):
/// cheaper than a chain of blends, which SSE2 does in three instructions each.
#[inline(always)]
fn segment<L: Lanes>(stage: L, level: L, e: &EnvCoefs) -> (L, L, L) {
    let sustain = L::splat(e.sustain);
    let attack = stage_is(stage, Stage::ATTACK);
    let decay = stage_is(stage, Stage::DECAY);
    let release = stage_is(stage, Stage::RELEASE);
    let fade = stage_is(stage, Stage::FADE);
    let target = attack
        .and(L::splat(ATTACK_TARGET))
        .or(decay.and(sustain - L::splat(DECAY_UNDERSHOOT)))
        .or(release.or(fade).and(L::splat(RELEASE_TARGET)));
    let coef = attack
        .and(L::splat(e.attack))
        .or(decay.and(L::splat(e.decay)))
        .or(release.and(L::splat(e.release)))
        .or(fade.and(L::splat(e.fade)));
    let floor = decay.and(sustain.min(level));
    (target, coef, floor)
}

/// The LFO's value (−1…1) at each lane's phase.
#[inline(always)]
fn lfo_value<L: Lanes>(g: &VoiceGroup<L>, wave: LfoWave) -> L {
    let p = g.lfo_phase;
    match wave {
        LfoWave::Sine => sin_phase(p),
        LfoWave::Triangle => L::splat(1.0) - L::splat(4.0) * (p - L::splat(0.5)).abs(),
        LfoWave::Saw => p + p - L::splat(1.0),
        LfoWave::Square => p.lt(L::splat(0.5)).select(L::splat(1.0), L::splat(-1.0)),
        LfoWave::SampleHold => g.lfo_held,
    }
}

/// The phase increment (phase units per sample, as floats) of MIDI pitch `semitones`
/// transposed by `transpose` semitones.
#[inline(always)]
fn increment<L: Lanes>(semitones: L, transpose: f32, rate: &RateLog2) -> L {
    let (low, high) = rate.increment_range;
    let log2 = semitones.mul_add(
        L::splat(1.0 / 12.0),
        L::splat(rate.increment + transpose / 12.0),
    );
    // Cycles to phase units (2³² per cycle, see `oscillator`) in the exponent.
    exp2_times::<L, 32>(log2.min(L::splat(high)).max(L::splat(low)))
}

/// The filter's prewarped angle π·cutoff / rate for each lane, from the patch's cutoff, key
/// tracking, velocity, pressure, the mod envelope's level `m` and the LFO's value `lfo`,
/// the cutoff bounded to 10 Hz … 0.45 × the rate; by its log2, summed as in [`outputs`].
#[inline(always)]
fn angle<L: Lanes>(g: &VoiceGroup<L>, c: &ControlParams, lfo: L, m: L) -> L {
    let mut log2 = (g.pitch - L::splat(60.0)).mul_add(
        L::splat(c.key_track / 12.0),
        L::splat(c.cutoff_log2 + c.pressure_oct + c.rate.angle),
    );
    log2 = g.velocity.mul_add(L::splat(c.vel_oct), log2);
    if c.env_oct != 0.0 {
        log2 = m.mul_add(L::splat(c.env_oct), log2);
    }
    if c.lfo_cut_oct != 0.0 {
        log2 = lfo.mul_add(L::splat(c.lfo_cut_oct), log2);
    }
    let (low, high) = c.rate.angle_range;
    exp2_within(log2.max(L::splat(low)).min(L::splat(high)))
}

/// Compute the per-lane control values from the group's current state. Pure, O(1).
#[inline(always)]
pub fn outputs<L: Lanes>(g: &VoiceGroup<L>, c: &ControlParams) -> ControlOutputs<L> {
    let lfo = lfo_value(g, c.lfo_wave);
    let m = g.mod_level;
    // The pitch's and the cutoff's sums end in the terms a tick works out last, the mod
    // envelope's level and the LFO's value, each a fused step; a term whose depth is zero
    // adds exactly nothing and is left out, so that a patch without it does not wait for
    // it.
    let mut semis = g.pitch + L::splat(c.bend_st + c.lane_pitch_st);
    semis = g.unison_offset.mul_add(L::splat(c.detune_st), semis);
    if c.mod_pitch_st != 0.0 {
        semis = m.mul_add(L::splat(c.mod_pitch_st), semis);
    }
    if c.vibrato_st != 0.0 {
        semis = lfo.mul_add(L::splat(c.vibrato_st), semis);
    }
    // Two calls rather than `array::map`, whose closure would stay a call on the run-time
    // AVX2 lanes (see `Lanes::native`).
    let inc = [
        increment(semis, c.osc1_st, &c.rate),
        increment(semis, c.osc2_st, &c.rate),
    ];
    let (sin, cos) = sin_cos(angle(g, c, lfo, m));
    let (fa, fb) = svf_coefs(sin, cos, L::splat(c.k));

    let one = L::splat(1.0);
    let vel_gain = one - L::splat(c.vel_sens) * (one - g.velocity);
    let tremolo = one - L::splat(c.lfo_amp) * (L::splat(0.5) - L::splat(0.5) * lfo);
    // The filter hands the voice on at `FILTER_OUTPUT_SCALE` times its value.
    let norm = c.unison_norm / FILTER_OUTPUT_SCALE;
    let level = L::splat(norm) * vel_gain * tremolo;
    let pan = (g.unison_pan * L::splat(c.width) + lfo * L::splat(c.lfo_pan) + L::splat(c.lane_pan))
        .max(-one)
        .min(one);
    let half = L::splat(0.5);
    ControlOutputs {
        inc,
        fa,
        fb,
        gain_l: level * (half - half * pan).sqrt(),
        gain_r: level * (half + half * pan).sqrt(),
    }
}

/// Install control outputs into the lanes selected by `mask` (every lane for `None`: a
/// plain store, so the tick of a whole group pays no per-lane blend). With `ramp`, gains
/// glide to their new values over the next interval; without, they jump (a note that just
/// started).
#[inline(always)]
pub fn apply<L: Lanes>(g: &mut VoiceGroup<L>, o: &ControlOutputs<L>, mask: Option<L>, ramp: bool) {
    let pick = |new: L, old: L| match mask {
        Some(mask) => mask.select(new, old),
        None => new,
    };
    let one = L::splat(1.0);
    let (inc1, inc2) = (o.inc[0].float_to_bits(), o.inc[1].float_to_bits());
    g.inc1 = pick(inc1, g.inc1);
    g.inc2 = pick(inc2, g.inc2);
    // One division for both reciprocals (increments of 429 … 1.9·10⁹ units: the product
    // stays normal).
    let (units1, units2) = (inc1.bits_to_float(), inc2.bits_to_float());
    let r = one / (units1 * units2);
    g.inv_inc1 = pick(units2 * r, g.inv_inc1);
    g.inv_inc2 = pick(units1 * r, g.inv_inc2);
    g.fa1 = pick(o.fa[0], g.fa1);
    g.fa2 = pick(o.fa[1], g.fa2);
    g.fa3 = pick(o.fa[2], g.fa3);
    g.fb1 = pick(o.fb[0], g.fb1);
    g.fb2 = pick(o.fb[1], g.fb2);
    g.fb3 = pick(o.fb[2], g.fb3);
    if ramp {
        let step = L::splat(1.0 / CONTROL_INTERVAL as f32);
        g.dgain_l = pick((o.gain_l - g.gain_l) * step, g.dgain_l);
        g.dgain_r = pick((o.gain_r - g.gain_r) * step, g.dgain_r);
    } else {
        g.gain_l = pick(o.gain_l, g.gain_l);
        g.gain_r = pick(o.gain_r, g.gain_r);
        g.dgain_l = pick(L::splat(0.0), g.dgain_l);
        g.dgain_r = pick(L::splat(0.0), g.dgain_r);
    }
}

/// Mask of lanes whose release or fade has reached silence.
/// A lane whose level is not a number is finished too, so one broken voice cannot keep
/// silencing the mix.
#[inline(always)]
pub fn finished<L: Lanes>(g: &VoiceGroup<L>) -> L {
    let releasing = stage_is(g.amp_stage, Stage::RELEASE).or(stage_is(g.amp_stage, Stage::FADE));
    // NaN ≠ NaN: the self-comparison mask is all-zero exactly for broken lanes.
    let broken = g.amp_level.eq(g.amp_level).eq(L::splat(0.0));
    releasing.and(g.amp_level.le(L::splat(0.0))).or(broken)
}

#[cfg(test)]
#[path = "control_tests.rs"]
mod tests;
