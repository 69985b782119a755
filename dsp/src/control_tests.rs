use super::*;

/// The sample rates the engine takes, from its lowest to its highest.
const RATES: [f32; 4] = [8_000.0, 44_100.0, 48_000.0, 384_000.0];

#[test]
fn increments_follow_the_equal_tempered_pitch_within_its_bounds() {
    for rate in RATES {
        let r = RateLog2::new(rate);
        for transpose in [-36.0f32, 0.0, 7.01, 36.0] {
            for k in -40..=160 {
                let semis = k as f32 + 0.37;
                let hz = 440.0 * 2f64.powf((f64::from(semis + transpose) - 69.0) / 12.0);
                let cycles = (hz / f64::from(rate)).clamp(1e-7, 0.45);
                let want = cycles * 4_294_967_296.0;
                let got = f64::from(increment(semis, transpose, &r));
                assert!(
                    (got / want - 1.0).abs() < 2e-6,
                    "{rate} Hz, {semis} + {transpose}: {got} units, not {want}"
                );
            }
        }
    }
}

#[test]
fn the_angle_follows_the_cutoff_formula_within_its_bounds() {
    let mut c = ControlParams {
        key_track: 0.5,
        env_oct: 3.0,
        vel_oct: -1.5,
        pressure_oct: 0.25,
        lfo_cut_oct: 2.0,
        ..ControlParams::default()
    };
    let mut g = VoiceGroup::<f32>::default();
    // With every depth of the envelope and the LFO, then without them (left out of the sum).
    for (rate, depths) in RATES.into_iter().flat_map(|r| [(r, true), (r, false)]) {
        (c.env_oct, c.lfo_cut_oct) = if depths { (3.0, 2.0) } else { (0.0, 0.0) };
        c.rate = RateLog2::new(rate);
        for (cutoff_hz, pitch, m, lfo) in [
            (1_000.0f32, 60.0f32, 0.0f32, 0.0f32),
            (440.0, 81.0, 0.7, -0.3),
            (20.0, 24.0, 0.0, -1.0),
            (20_000.0, 108.0, 1.0, 1.0),
            (5.0, 0.0, 0.0, -1.0),
        ] {
            c.cutoff_log2 = cutoff_hz.log2();
            (g.pitch, g.velocity) = (pitch, 0.6);
            let octaves = f64::from(c.cutoff_log2)
                + f64::from(c.key_track) / 12.0 * (f64::from(pitch) - 60.0)
                + f64::from(c.env_oct * m + c.vel_oct * 0.6 + c.pressure_oct)
                + f64::from(c.lfo_cut_oct * lfo);
            let hz = 2f64.powf(octaves).clamp(10.0, 0.45 * f64::from(rate));
            let want = std::f64::consts::PI * hz / f64::from(rate);
            let got = f64::from(angle(&g, &c, lfo, m));
            assert!(
                (got / want - 1.0).abs() < 2e-6,
                "{rate} Hz, cutoff {cutoff_hz}, pitch {pitch}: angle {got}, not {want}"
            );
        }
    }
}
