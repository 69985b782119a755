//! The audio-rate kernel: oscillators → drive → filter → amp envelope → pan, for one lane
//! group over a run of samples with fixed control values. Allocation-free, O(samples).

use crate::blep::{BLEP_RADIUS, corner_residual, distance, step_residual};
use crate::lanes::Lanes;
use crate::math::{saturate, sin_cycles};
use crate::patch::{FilterMode, Waveform};
use crate::voice_group::VoiceGroup;

/// Values shared by every voice for one run of samples (they change only at control ticks).
#[derive(Clone, Copy, Debug)]
pub struct RunParams {
    /// Oscillator 1 waveform.
    pub wave1: Waveform,
    /// Oscillator 2 waveform.
    pub wave2: Waveform,
    /// Pulse widths.
    pub pw1: f32,
    /// Pulse width of oscillator 2.
    pub pw2: f32,
    /// Oscillator 1 level at the control tick and its step per sample.
    pub level1: (f32, f32),
    /// Oscillator 2 level and step.
    pub level2: (f32, f32),
    /// Noise level and step.
    pub noise: (f32, f32),
    /// Drive gain into the saturator (1 = no drive: the saturator is bypassed).
    pub drive_in: f32,
    /// Gain after the saturator.
    pub drive_out: f32,
    /// Filter response.
    pub mode: FilterMode,
    /// Resonant stage damping k = 1/Q.
    pub k: f32,
    /// Samples since the last control tick at the run's first sample.
    pub tick_pos: usize,
}

/// One sample of a band-limited oscillator at phase `phase` (advanced by `dt`). `inv_dt` is
/// 1/dt and `pw` the pulse width. Allocation-free, O(1).
#[inline(always)]
pub fn oscillator<L: Lanes>(wave: Waveform, phase: &mut L, dt: L, inv_dt: L, pw: L) -> L {
    let p = *phase;
    let zero = L::splat(0.0);
    let radius = L::splat(BLEP_RADIUS);
    let out = match wave {
        Waveform::Sine => sin_cycles(p),
        Waveform::Saw => {
            let naive = p + p - L::splat(1.0);
            let u = wrap_distance(p, inv_dt);
            if u.abs().lt(radius).any() {
                naive - L::splat(2.0) * step_residual(u)
            } else {
                naive
            }
        }
        Waveform::Pulse => {
            // +1 while p < pw, −1 after, minus the DC offset 2pw − 1.
            let mut out = p.lt(pw).and(L::splat(2.0)) - (pw + pw);
            // Each edge is corrected only when some lane is near it.
            let u_rise = wrap_distance(p, inv_dt);
            if u_rise.abs().lt(radius).any() {
                out = out + L::splat(2.0) * step_residual(u_rise);
            }
            let u_fall = distance(p, pw, inv_dt);
            if u_fall.abs().lt(radius).any() {
                out = out - L::splat(2.0) * step_residual(u_fall);
            }
            out
        }
        Waveform::Triangle => {
            let naive = L::splat(4.0) * (p - L::splat(0.5)).abs() - L::splat(1.0);
            let t_peak = distance(p, zero, inv_dt);
            let t_trough = distance(p, L::splat(0.5), inv_dt);
            let slope = L::splat(8.0) * dt;
            naive + slope * (corner_residual(t_trough) - corner_residual(t_peak))
        }
    };
    let next = p + dt;
    *phase = next - L::splat(1.0).le(next).and(L::splat(1.0));
    out
}

/// Signed distance in samples to the phase wrap (cheaper than [`distance`] for `at` = 0).
#[inline(always)]
fn wrap_distance<L: Lanes>(p: L, inv_dt: L) -> L {
    let q = p - L::splat(0.5).le(p).and(L::splat(1.0));
    q * inv_dt
}

/// One sample of a TPT state-variable filter (Zavalishin's form) with coefficients
/// (g, g + k, 1 / (1 + g(g + k))); returns (high, band, low).
#[inline(always)]
fn svf_step<L: Lanes>(x: L, s1: &mut L, s2: &mut L, g: L, gk: L, d: L) -> (L, L, L) {
    let high = (x - gk * *s1 - *s2) * d;
    let g_high = g * high;
    let band = g_high + *s1;
    *s1 = g_high + band;
    let g_band = g * band;
    let low = g_band + *s2;
    *s2 = g_band + low;
    (high, band, low)
}

/// Per-sample source levels (oscillator 1, oscillator 2, noise), splatted once per run so the
/// kernel does not rebuild them for every group.
pub type SourceLevels<L> = [L; 3];

/// Fill `out` with the ramped source levels for the run's samples. O(samples).
pub fn source_levels<L: Lanes>(run: &RunParams, out: &mut [SourceLevels<L>]) {
    let ramp =
        |(start, step): (f32, f32), i: usize| L::splat(start + step * (run.tick_pos + i) as f32);
    for (i, levels) in out.iter_mut().enumerate() {
        *levels = [ramp(run.level1, i), ramp(run.level2, i), ramp(run.noise, i)];
    }
}

/// Splatted per-run constants of the kernel.
#[derive(Clone, Copy)]
struct RunConsts<L: Lanes> {
    pw1: L,
    pw2: L,
    k: L,
    drive_in: L,
    drive_out: L,
}

impl<L: Lanes> RunConsts<L> {
    fn new(run: &RunParams) -> Self {
        Self {
            pw1: L::splat(run.pw1),
            pw2: L::splat(run.pw2),
            k: L::splat(run.k),
            drive_in: L::splat(run.drive_in),
            drive_out: L::splat(run.drive_out),
        }
    }
}

/// One sample of one group: the voices' contributions to the left and right mix.
#[inline(always)]
fn voice_sample<L: Lanes>(
    g: &mut VoiceGroup<L>,
    run: &RunParams,
    c: &RunConsts<L>,
    [lvl1, lvl2, lvln]: SourceLevels<L>,
) -> (L, L) {
    let mut x = L::splat(0.0);
    if run.level1 != (0.0, 0.0) {
        let o = oscillator(run.wave1, &mut g.phase1, g.dt1, g.inv_dt1, c.pw1);
        x = x + o * lvl1;
    }
    if run.level2 != (0.0, 0.0) {
        let o = oscillator(run.wave2, &mut g.phase2, g.dt2, g.inv_dt2, c.pw2);
        x = x + o * lvl2;
    }
    if run.noise != (0.0, 0.0) {
        x = x + L::noise(&mut g.noise) * lvln;
    }
    if run.drive_in != 1.0 {
        x = saturate(x * c.drive_in) * c.drive_out;
    }
    let y = match run.mode {
        FilterMode::Lp12 => svf_step(x, &mut g.s1a, &mut g.s2a, g.fa1, g.fa2, g.fa3).2,
        FilterMode::Lp24 => {
            let (_, _, low) = svf_step(x, &mut g.s1b, &mut g.s2b, g.fb1, g.fb2, g.fb3);
            svf_step(low, &mut g.s1a, &mut g.s2a, g.fa1, g.fa2, g.fa3).2
        }
        FilterMode::Bp => svf_step(x, &mut g.s1a, &mut g.s2a, g.fa1, g.fa2, g.fa3).1,
        FilterMode::Hp => svf_step(x, &mut g.s1a, &mut g.s2a, g.fa1, g.fa2, g.fa3).0,
        FilterMode::Notch => {
            let (_, band, _) = svf_step(x, &mut g.s1a, &mut g.s2a, g.fa1, g.fa2, g.fa3);
            x - c.k * band
        }
    };
    let env = g.amp_target + (g.amp_level - g.amp_target) * g.amp_coef;
    g.amp_level = env.min(L::splat(1.0)).max(g.amp_floor);
    let v = y * g.amp_level;
    let out = (v * g.gain_l, v * g.gain_r);
    g.gain_l = g.gain_l + g.dgain_l;
    g.gain_r = g.gain_r + g.dgain_r;
    out
}

/// Render `acc_l.len()` samples of a slice of groups, adding each voice's stereo output into
/// the per-lane accumulators; `levels` comes from [`source_levels`]. Groups go two at a time
/// so the filter's sample-to-sample dependency chains of two groups overlap.
/// Allocation-free, O(groups × samples).
pub fn render_groups<L: Lanes>(
    groups: &mut [VoiceGroup<L>],
    run: &RunParams,
    levels: &[SourceLevels<L>],
    acc_l: &mut [L],
    acc_r: &mut [L],
) {
    let c = RunConsts::new(run);
    let mut pairs = groups.chunks_exact_mut(2);
    for pair in &mut pairs {
        let [a, b] = pair else { continue };
        for ((out_l, out_r), lvl) in acc_l.iter_mut().zip(acc_r.iter_mut()).zip(levels) {
            let (al, ar) = voice_sample(a, run, &c, *lvl);
            let (bl, br) = voice_sample(b, run, &c, *lvl);
            *out_l = *out_l + al + bl;
            *out_r = *out_r + ar + br;
        }
    }
    for g in pairs.into_remainder() {
        for ((out_l, out_r), lvl) in acc_l.iter_mut().zip(acc_r.iter_mut()).zip(levels) {
            let (l, r) = voice_sample(g, run, &c, *lvl);
            *out_l = *out_l + l;
            *out_r = *out_r + r;
        }
    }
}
