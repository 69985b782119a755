//! Behaviour of each sound concept through the engine: filter responses, envelope timing,
//! LFO rate and tempo sync.

mod common;
use common::*;
use octolane_dsp::{
    EventKind, FilterMode, LfoWave, Patch, SimdEngine, SyncDivision, Synth, Waveform,
};
use rustfft::{FftPlanner, num_complex::Complex};

const SR: f32 = 48_000.0;

/// A single plain voice: one oscillator, no modulation, open filter.
fn plain() -> Patch {
    let mut p = Patch::default();
    p.osc2.level = 0.0;
    p.voice.unison = 1;
    p.voice.velocity_sens = 0.0;
    p.filter.env_amount_oct = 0.0;
    p.filter.velocity_oct = 0.0;
    p.filter.key_track = 0.0;
    p.filter.drive = 0.0;
    p.filter.resonance = 0.0;
    p.filter.cutoff_hz = 20_000.0;
    p.lfo.to_cutoff_oct = 0.0;
    p.amp_env.attack_s = 0.0005;
    p.amp_env.sustain = 1.0;
    p
}

/// Energy in [lo, hi) Hz of a signal.
fn band_energy(x: &[f32], lo: f64, hi: f64) -> f64 {
    let n = x.len().next_power_of_two() / 2;
    // Blackman-Harris window: without it, leakage from the loud band hides a steep slope.
    let mut buf: Vec<Complex<f64>> = x[..n]
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let t = std::f64::consts::TAU * i as f64 / n as f64;
            let w =
                0.35875 - 0.48829 * t.cos() + 0.14128 * (2.0 * t).cos() - 0.01168 * (3.0 * t).cos();
            Complex::new(*v as f64 * w, 0.0)
        })
        .collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut buf);
    let bin = SR as f64 / n as f64;
    buf[..n / 2]
        .iter()
        .enumerate()
        .filter(|(i, _)| (*i as f64 * bin) >= lo && (*i as f64 * bin) < hi)
        .map(|(_, c)| c.norm_sqr())
        .sum()
}

fn noise_through(mode: FilterMode, cutoff: f32) -> Vec<f32> {
    let mut p = plain();
    p.osc1.level = 0.0;
    p.noise_level = 1.0;
    p.filter.mode = mode;
    p.filter.cutoff_hz = cutoff;
    let (l, _) = render(
        &mut SimdEngine::new(SR),
        &p,
        &[note_on(0, 60, 1.0)],
        1 << 16,
        &[512],
    );
    l[4_096..].to_vec()
}

#[test]
fn filter_modes_shape_white_noise() {
    let ratio = |x: &[f32]| band_energy(x, 8_000.0, 16_000.0) / band_energy(x, 100.0, 400.0);
    let flat = ratio(&noise_through(FilterMode::Lp12, 20_000.0));
    let lp12 = ratio(&noise_through(FilterMode::Lp12, 1_000.0));
    let lp24 = ratio(&noise_through(FilterMode::Lp24, 1_000.0));
    let hp = ratio(&noise_through(FilterMode::Hp, 1_000.0));
    assert!(
        lp12 < flat / 100.0,
        "LP12 at 1 kHz barely filters: {lp12} vs {flat}"
    );
    assert!(
        lp24 < lp12 / 100.0,
        "LP24 is not steeper than LP12: {lp24} vs {lp12}"
    );
    assert!(
        hp > flat * 10.0,
        "HP at 1 kHz keeps the lows: {hp} vs {flat}"
    );
    let bp = noise_through(FilterMode::Bp, 2_000.0);
    let centre = band_energy(&bp, 1_800.0, 2_200.0) / 400.0;
    let far = band_energy(&bp, 12_000.0, 16_000.0) / 4_000.0;
    assert!(
        centre > far * 10.0,
        "BP at 2 kHz: centre {centre} vs far {far}"
    );
    let notch = noise_through(FilterMode::Notch, 2_000.0);
    let hole = band_energy(&notch, 1_950.0, 2_050.0) / 100.0;
    let side = band_energy(&notch, 6_000.0, 8_000.0) / 2_000.0;
    assert!(
        hole < side / 10.0,
        "notch at 2 kHz: hole {hole} vs side {side}"
    );
}

/// Peak level of `x` over consecutive 5 ms windows.
fn envelope(x: &[f32]) -> Vec<f32> {
    x.chunks(240)
        .map(|c| c.iter().fold(0.0f32, |m, v| m.max(v.abs())))
        .collect()
}

#[test]
fn envelope_attack_decay_sustain_release_follow_their_times() {
    let mut p = plain();
    p.osc1.wave = Waveform::Sine;
    p.amp_env = octolane_dsp::EnvPatch {
        attack_s: 0.2,
        decay_s: 0.3,
        sustain: 0.5,
        release_s: 0.4,
    };
    let ev = [note_on(0, 69, 1.0), note_off(48_000, 69)];
    let mut e = SimdEngine::new(SR);
    let (l, _) = render(&mut e, &p, &ev, 96_000, &[256]);
    let env = envelope(&l);
    let peak = env.iter().cloned().fold(0.0, f32::max);
    let first_peak = env.iter().position(|v| *v >= peak * 0.99).unwrap() as f32 * 0.005;
    assert!(
        (0.17..=0.23).contains(&first_peak),
        "attack peaked at {first_peak} s"
    );
    // Curved attack: halfway in time it is already past half level.
    assert!(
        env[20] > peak * 0.5,
        "attack is not curved like an analog one"
    );
    let sustain = env[180] / peak; // 0.9 s: decay done
    assert!((sustain - 0.5).abs() < 0.03, "sustain level {sustain}");
    let silent_at = env.iter().rposition(|v| *v > 0.0).unwrap() as f32 * 0.005;
    assert!(
        (1.3..=1.45).contains(&silent_at),
        "release ended at {silent_at} s"
    );
    assert_eq!(e.active_voices(), 0);
}

fn tremolo_period_s(p: &Patch, tempo: Option<f64>) -> f32 {
    let mut events = vec![note_on(0, 69, 1.0)];
    if let Some(bpm) = tempo {
        let mut e = SimdEngine::new(SR);
        e.set_transport(&octolane_dsp::Transport {
            tempo_bpm: bpm,
            playing: true,
            beat_position: Some(0.0),
        });
        let (l, _) = render(&mut e, p, &events, 96_000, &[512]);
        return crossing_period(&envelope(&l));
    }
    events.push((10, EventKind::ModWheel(0.0)));
    let (l, _) = render(&mut SimdEngine::new(SR), p, &events, 96_000, &[512]);
    crossing_period(&envelope(&l))
}

/// Mean period (s) of upward crossings of the mean of a 5 ms-window envelope.
fn crossing_period(env: &[f32]) -> f32 {
    let env = &env[20..];
    let mean = env.iter().sum::<f32>() / env.len() as f32;
    let ups: Vec<usize> = (1..env.len())
        .filter(|i| env[i - 1] < mean && env[*i] >= mean)
        .collect();
    (ups[ups.len() - 1] - ups[0]) as f32 * 0.005 / (ups.len() - 1) as f32
}

#[test]
fn lfo_rate_and_tempo_sync_set_the_tremolo_period() {
    let mut p = plain();
    p.osc1.wave = Waveform::Sine;
    p.lfo.wave = LfoWave::Triangle;
    p.lfo.to_amp = 1.0;
    p.lfo.rate_hz = 4.0;
    let free = tremolo_period_s(&p, None);
    assert!((free - 0.25).abs() < 0.01, "4 Hz LFO period {free} s");
    p.lfo.sync = true;
    p.lfo.division = SyncDivision::Eighth;
    let synced = tremolo_period_s(&p, Some(150.0));
    // An eighth note at 150 BPM lasts 0.2 s.
    assert!(
        (synced - 0.2).abs() < 0.01,
        "1/8 at 150 BPM period {synced} s"
    );
}
