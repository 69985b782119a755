//! The filter against the analog state-variable filter it models, and its state-space
//! steps against Simper's form.

use super::*;

#[test]
fn the_filter_responds_as_the_prewarped_analog_state_variable_filter() {
    // The TPT SVF is the bilinear transform of the analog SVF 1 / (s² + ks + 1) with
    // its cutoff prewarped: at the digital frequency ω its outputs are the analog ones
    // at Ω = tan(ω/2) / g. Hold each output's steady-state gain for sines below, at and
    // above the cutoff, damped and resonant, to that within 0.05 dB.
    let cutoff = 0.05f64; // cycles per sample
    let g = (std::f64::consts::PI * cutoff).tan();
    for k in [std::f64::consts::SQRT_2, 0.3, 0.05] {
        let theta = std::f64::consts::PI * cutoff;
        let (coefs, _) = svf_coefs(theta.sin() as f32, theta.cos() as f32, k as f32);
        for ratio in [0.25, 0.7, 1.0, 1.4, 4.0] {
            let freq = cutoff * ratio;
            let big_omega = (std::f64::consts::PI * freq).tan() / g;
            // Analog responses at jΩ: the shared denominator 1 − Ω² + jkΩ.
            let den = ((1.0 - big_omega * big_omega).powi(2) + (k * big_omega).powi(2)).sqrt();
            let want = [
                big_omega / den,                           // band
                1.0 / den,                                 // low
                big_omega * big_omega / den,               // high
                (1.0 - big_omega * big_omega).abs() / den, // notch
            ];
            let (mut s1, mut s2) = (0.0f32, 0.0f32);
            let settle = 40_000;
            let cycles = 200.0;
            let len = (cycles / freq).round() as usize;
            let (mut re, mut im) = ([0.0f64; 4], [0.0f64; 4]);
            for n in 0..settle + len {
                let phase = std::f64::consts::TAU * freq * n as f64;
                let x = phase.sin() as f32;
                // The stage fed twice the input gives four times its outputs.
                let x2 = 2.0 * x;
                let stage = svf_step(x2, &mut s1, &mut s2, coefs);
                let modes = [
                    FilterMode::Bp,
                    FilterMode::Lp12,
                    FilterMode::Hp,
                    FilterMode::Notch,
                ];
                if n >= settle {
                    for (i, mode) in modes.into_iter().enumerate() {
                        let y = svf_output(mode, x2, stage, k as f32) / FILTER_OUTPUT_SCALE;
                        re[i] += f64::from(y) * phase.sin();
                        im[i] += f64::from(y) * phase.cos();
                    }
                }
            }
            for i in 0..4 {
                let got = 2.0 * re[i].hypot(im[i]) / (len as f64);
                let db = 20.0 * (got / want[i]).log10();
                assert!(
                    db.abs() < 0.05 || (want[i] < 1e-3 && got < 2e-3),
                    "k {k}, {ratio} × cutoff, output {i}: gain {got}, analog {}",
                    want[i]
                );
            }
        }
    }
}

#[test]
fn the_state_space_step_is_simpers_step() {
    // The step in its state-space form against Simper's form of the same filter, in f64,
    // over cutoffs from 10 Hz at 384 kHz to near Nyquist, damped to resonant, with a
    // signal that jumps: outputs and states stay within f32 rounding of the reference.
    for (cutoff, k) in [
        (2.6e-5, 0.05),
        (1e-3, 1.4),
        (0.02, 0.3),
        (0.2, 0.05),
        (0.44, 2.0),
    ] {
        let g = (std::f64::consts::PI * cutoff).tan();
        let theta = std::f64::consts::PI * cutoff;
        let (coefs, _) = svf_coefs(theta.sin() as f32, theta.cos() as f32, k as f32);
        let d = 1.0 / (1.0 + g * (g + k));
        let (mut s1, mut s2) = (0.0f32, 0.0f32);
        let (mut r1, mut r2) = (0.0f64, 0.0f64);
        let mut peak = 0.0f64;
        for n in 0..20_000 {
            let x = if (n / 700) % 2 == 0 { 0.8 } else { -0.5 } + 0.1 * (n as f64 * 0.37).sin();
            let (band2, low2) = svf_step(x as f32, &mut s1, &mut s2, coefs);
            let band = d * r1 + g * d * (x - r2);
            let low = r2 + g * band;
            (r1, r2) = (2.0 * band - r1, 2.0 * low - r2);
            peak = peak
                .max(band.abs())
                .max(low.abs())
                .max(r1.abs())
                .max(r2.abs());
            let tol = 2e-4 * peak.max(1.0);
            for (got, want) in [
                (f64::from(band2) / 2.0, band),
                (f64::from(low2) / 2.0, low),
                (f64::from(s1), r1),
                (f64::from(s2), r2),
            ] {
                assert!(
                    (got - want).abs() <= tol,
                    "cutoff {cutoff}, k {k}, sample {n}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn both_stages_coefficients_follow_the_gain_formula() {
    // (p, q, r) = (2d − 1, 2gd, 1 − 2g²d), d = 1 / (1 + g(g + k)), in f64 from g = tan θ,
    // against the coefficients worked out from sin θ and cos θ with one division: the
    // resonant stage with its damping and the Butterworth stage with √2, from 10 Hz at
    // 384 kHz to the highest cutoff the tick allows.
    for cutoff in [2.6e-5, 1e-3, 0.02, 0.2, 0.3, 0.45] {
        for k in [0.02, 0.7, 2.0] {
            let theta = std::f64::consts::PI * cutoff;
            let g = theta.tan();
            let (a, b) = svf_coefs(theta.sin() as f32, theta.cos() as f32, k as f32);
            for (got, damping) in [(a, k), (b, std::f64::consts::SQRT_2)] {
                let d = 1.0 / (1.0 + g * (g + damping));
                let want = [2.0 * d - 1.0, 2.0 * g * d, 1.0 - 2.0 * g * g * d];
                for (got, want) in got.iter().zip(want) {
                    assert!(
                        (f64::from(*got) - want).abs() < 2e-6,
                        "cutoff {cutoff}, k {damping}: {got} vs {want}"
                    );
                }
            }
        }
    }
}
