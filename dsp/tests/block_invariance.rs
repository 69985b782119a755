//! The same events at the same absolute times give the same samples, bit for bit, whatever
//! blocks the host cuts the stream into.

mod common;
use common::*;
use octolane_dsp::{EventKind, FilterMode, LfoWave, Patch, SimdEngine, Synth, Waveform};

fn busy_patch() -> Patch {
    let mut p = Patch::default();
    p.osc2.wave = Waveform::Pulse;
    p.osc2.pulse_width = 0.3;
    p.noise_level = 0.2;
    p.filter.mode = FilterMode::Lp24;
    p.filter.drive = 0.5;
    p.filter.resonance = 0.7;
    p.lfo.wave = LfoWave::SampleHold;
    p.lfo.rate_hz = 7.0;
    p.lfo.to_cutoff_oct = 1.0;
    p.lfo.to_pitch_st = 0.5;
    p.lfo.to_amp = 0.3;
    p.lfo.to_pan = 0.5;
    p.voice.unison = 3;
    p.voice.glide_s = 0.05;
    p.voice.polyphony = 12;
    p.amp_env.attack_s = 0.01;
    p.amp_env.release_s = 0.2;
    p
}

fn stream() -> Vec<(u64, EventKind)> {
    let mut ev = Vec::new();
    for i in 0..40u64 {
        let at = i * 1_777 + (i * i) % 13;
        ev.push(note_on(
            at,
            40 + (i * 7 % 40) as u8,
            0.3 + (i % 5) as f32 * 0.15,
        ));
        ev.push(note_off(at + 3_000 + i * 11, 40 + (i * 7 % 40) as u8));
        if i % 6 == 0 {
            ev.push((at + 5, EventKind::PitchBend(((i % 3) as f32 - 1.0) * 0.5)));
            ev.push((at + 9, EventKind::ModWheel(0.7)));
            ev.push((at + 900, EventKind::Sustain(i % 12 == 0)));
            ev.push((at + 901, EventKind::ChannelPressure(0.4)));
        }
    }
    ev.sort_by_key(|e| e.0);
    ev
}

#[test]
fn every_block_size_renders_identical_samples() {
    let patch = busy_patch();
    let events = stream();
    let frames = 48_000 * 2;
    let (ref_l, ref_r) = render(
        &mut SimdEngine::new(48_000.0),
        &patch,
        &events,
        frames,
        &[512],
    );
    assert!(rms(&ref_l) > 1e-3, "the reference render is silent");
    let patterns: [&[usize]; 6] = [
        &[1],
        &[7],
        &[64],
        &[333],
        &[4_096],
        &[1, 7, 64, 333, 512, 4_096, 3, 16_384, 100],
    ];
    for blocks in patterns {
        let (l, r) = render(
            &mut SimdEngine::new(48_000.0),
            &patch,
            &events,
            frames,
            blocks,
        );
        let first_diff = l
            .iter()
            .zip(&ref_l)
            .position(|(a, b)| a.to_bits() != b.to_bits());
        assert_eq!(first_diff, None, "left differs with blocks {blocks:?}");
        assert!(
            r.iter()
                .zip(&ref_r)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "right differs with {blocks:?}"
        );
    }
}

#[test]
fn renders_are_deterministic_run_after_run() {
    let patch = busy_patch();
    let events = stream();
    let a = render(
        &mut SimdEngine::new(44_100.0),
        &patch,
        &events,
        30_000,
        &[256],
    );
    let b = render(
        &mut SimdEngine::new(44_100.0),
        &patch,
        &events,
        30_000,
        &[256],
    );
    assert_eq!(a, b);
}
