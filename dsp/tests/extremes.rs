//! Hostile input: every sample rate, huge and tiny blocks, 10,000 events in one block,
//! parameter extremes and garbage values. Output stays finite and limited; nothing allocates.

mod common;
use common::*;
use octolane_dsp::limiter::KNEE;
use octolane_dsp::{Event, EventKind, FilterMode, Patch, SimdEngine, Synth, Waveform};

fn extreme_patches() -> Vec<Patch> {
    let mut out = Vec::new();
    for (cutoff, res, drive) in [(20.0, 1.0, 1.0), (20_000.0, 1.0, 0.0), (20_000.0, 0.0, 1.0)] {
        for mode in [
            FilterMode::Lp12,
            FilterMode::Lp24,
            FilterMode::Bp,
            FilterMode::Hp,
            FilterMode::Notch,
        ] {
            let mut p = Patch::default();
            p.filter.cutoff_hz = cutoff;
            p.filter.resonance = res;
            p.filter.drive = drive;
            p.filter.mode = mode;
            p.filter.env_amount_oct = 8.0;
            p.filter.key_track = 1.0;
            p.osc1.wave = Waveform::Pulse;
            p.osc1.pulse_width = 0.05;
            p.osc1.octave = 3;
            p.osc1.semitones = 12;
            p.osc2.octave = -3;
            p.noise_level = 1.0;
            p.lfo.rate_hz = 50.0;
            p.lfo.to_pitch_st = 2.0;
            p.lfo.to_cutoff_oct = 4.0;
            p.voice.unison = 8;
            p.voice.polyphony = 1_024;
            p.voice.mod_env_pitch_st = 24.0;
            p.voice.master_gain_db = 6.0;
            p.amp_env.attack_s = 0.0005;
            out.push(p);
        }
    }
    let mut garbage = Patch::default();
    garbage.filter.cutoff_hz = f32::NAN;
    garbage.filter.resonance = f32::INFINITY;
    garbage.osc1.level = -5.0;
    garbage.voice.polyphony = 0;
    garbage.voice.unison = 99;
    garbage.amp_env.attack_s = f32::NEG_INFINITY;
    out.push(garbage);
    out
}

fn assert_sane(l: &[f32], what: &str) {
    for v in l {
        assert!(v.is_finite(), "{what}: non-finite output");
        assert!(v.abs() <= 1.0, "{what}: {v} beyond the limiter");
    }
}

#[test]
fn every_sample_rate_and_extreme_patch_stays_finite_and_limited() {
    let chord: Vec<_> = (0..12)
        .map(|i| note_on(i * 3, 24 + i as u8 * 8, 1.0))
        .collect();
    for sr in [
        8_000.0, 22_050.0, 44_100.0, 48_000.0, 96_000.0, 192_000.0, 384_000.0,
    ] {
        for p in extreme_patches() {
            let mut e = SimdEngine::new(sr);
            let (l, r) = render(&mut e, &p, &chord, 8_000, &[1, 4_096, 16_384, 333]);
            assert_sane(&l, &format!("{sr} Hz left"));
            assert_sane(&r, &format!("{sr} Hz right"));
            assert_eq!(
                e.non_finite_samples(),
                0,
                "{sr} Hz: a voice went non-finite"
            );
            assert!(rms(&l) > 0.0, "{sr} Hz: the chord is silent");
        }
    }
}

#[test]
fn ten_thousand_events_in_one_block() {
    let mut events = Vec::with_capacity(10_000);
    for i in 0..10_000u32 {
        let key = (i % 128) as u8;
        let kind = match i % 5 {
            0 | 1 => EventKind::NoteOn {
                key,
                velocity: 1.0,
                channel: (i % 16) as u8,
                note_id: Some(i as i32),
            },
            2 => EventKind::NoteOff {
                key,
                channel: (i % 16) as u8,
                note_id: None,
            },
            3 => EventKind::PitchBend(((i % 7) as f32 - 3.0) / 3.0),
            _ => EventKind::Sustain(i % 2 == 0),
        };
        events.push(Event {
            offset: i * 16_384 / 10_000,
            kind,
        });
    }
    let mut p = Patch::default();
    p.voice.polyphony = 1_024;
    let mut e = SimdEngine::new(48_000.0);
    let mut l = vec![0.0; 16_384];
    let mut r = vec![0.0; 16_384];
    assert_no_alloc::assert_no_alloc(|| {
        e.set_patch(&p);
        e.process(&events, &mut l, &mut r);
    });
    assert_sane(&l, "storm");
    assert_eq!(e.non_finite_samples(), 0);
    assert!(e.active_voices() <= octolane_dsp::engine::LANE_CAPACITY);
    assert!(rms(&l) > 0.0);
}

#[test]
fn hot_input_is_soft_limited_not_clipped() {
    let mut p = Patch::default();
    p.voice.master_gain_db = 6.0;
    p.filter.cutoff_hz = 20_000.0;
    let chord: Vec<_> = (0..16).map(|i| note_on(0, 36 + i as u8 * 3, 1.0)).collect();
    let (l, _) = render(&mut SimdEngine::new(48_000.0), &p, &chord, 24_000, &[512]);
    let peak = l.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    assert!(
        peak > KNEE,
        "this chord should drive the limiter (peak {peak})"
    );
    assert!(peak <= 1.0);
}

#[test]
fn release_tails_decay_to_exact_zero_at_384_khz() {
    let mut p = Patch::default();
    p.filter.resonance = 1.0;
    p.amp_env.release_s = 0.2;
    let ev = [
        note_on(0, 48, 1.0),
        note_on(0, 55, 1.0),
        note_off(20_000, 48),
        note_off(20_000, 55),
    ];
    let mut e = SimdEngine::new(384_000.0);
    let (l, _) = render(&mut e, &p, &ev, 200_000, &[4_096]);
    assert_eq!(e.active_voices(), 0);
    assert!(l[150_000..].iter().all(|v| *v == 0.0));
}
