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
            let naive = p.lt(pw).and(L::splat(2.0)) - (pw + pw);
            let u_rise = wrap_distance(p, inv_dt);
            let u_fall = distance(p, pw, inv_dt);
            let near = u_rise.abs().lt(radius).or(u_fall.abs().lt(radius));
            if near.any() {
                naive + L::splat(2.0) * (step_residual(u_rise) - step_residual(u_fall))
            } else {
                naive
            }
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

/// Render `acc_l.len()` samples of one group, adding each voice's stereo output into the
/// per-lane accumulators; `levels` comes from [`source_levels`]. Allocation-free, O(samples).
pub fn render_group<L: Lanes>(
    g: &mut VoiceGroup<L>,
    run: &RunParams,
    levels: &[SourceLevels<L>],
    acc_l: &mut [L],
    acc_r: &mut [L],
) {
    let pw1 = L::splat(run.pw1);
    let pw2 = L::splat(run.pw2);
    let k = L::splat(run.k);
    let drive = run.drive_in != 1.0;
    let drive_in = L::splat(run.drive_in);
    let drive_out = L::splat(run.drive_out);
    let use_osc1 = run.level1 != (0.0, 0.0);
    let use_osc2 = run.level2 != (0.0, 0.0);
    let use_noise = run.noise != (0.0, 0.0);
    for ((out_l, out_r), &[lvl1, lvl2, lvln]) in acc_l.iter_mut().zip(acc_r.iter_mut()).zip(levels)
    {
        let mut x = L::splat(0.0);
        if use_osc1 {
            let o = oscillator(run.wave1, &mut g.phase1, g.dt1, g.inv_dt1, pw1);
            x = x + o * lvl1;
        }
        if use_osc2 {
            let o = oscillator(run.wave2, &mut g.phase2, g.dt2, g.inv_dt2, pw2);
            x = x + o * lvl2;
        }
        if use_noise {
            x = x + L::noise(&mut g.noise) * lvln;
        }
        if drive {
            x = saturate(x * drive_in) * drive_out;
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
                x - k * band
            }
        };
        let env = g.amp_target + (g.amp_level - g.amp_target) * g.amp_coef;
        g.amp_level = env.min(L::splat(1.0)).max(g.amp_floor);
        let v = y * g.amp_level;
        *out_l = *out_l + v * g.gain_l;
        *out_r = *out_r + v * g.gain_r;
        g.gain_l = g.gain_l + g.dgain_l;
        g.gain_r = g.gain_r + g.dgain_r;
    }
}
