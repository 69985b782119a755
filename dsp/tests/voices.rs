//! Voice behaviour: exact onsets, stealing without clicks, no stuck voices, mono legato.

mod common;
use common::*;
use octolane_dsp::{EventKind, Patch, SimdEngine, Synth, Waveform};

fn plain_patch() -> Patch {
    let mut p = Patch::default();
    p.voice.unison = 1;
    p.amp_env.attack_s = 0.0005;
    p.amp_env.release_s = 0.05;
    p.lfo.to_cutoff_oct = 0.0;
    p
}

#[test]
fn a_note_on_at_offset_k_is_silent_before_k_and_sounds_from_k() {
    let p = plain_patch();
    for k in [0u64, 1, 15, 16, 17, 333, 511] {
        let mut e = SimdEngine::new(48_000.0);
        let (l, _) = render(&mut e, &p, &[note_on(k, 69, 1.0)], 1024, &[512]);
        let first = l
            .iter()
            .position(|v| *v != 0.0)
            .expect("the note never sounded");
        assert!(
            first as u64 >= k && first as u64 <= k + 1,
            "onset {first} for note at {k}"
        );
    }
}

#[test]
fn the_first_note_of_a_fresh_engine_sounds_like_a_later_one() {
    // Same tick phase (0 and 32 are both on a control tick), same noise seeds, no LFO
    // modulation: the note must come out bit for bit the same, so nothing about starting an
    // engine (such as its oscillators coming on) may touch a note's first samples.
    let mut p = plain_patch();
    p.lfo.to_pitch_st = 0.0;
    p.lfo.to_amp = 0.0;
    p.lfo.to_pan = 0.0;
    p.osc1.wave = Waveform::Saw;
    p.osc2.wave = Waveform::Pulse;
    let prepared = || {
        let mut e = SimdEngine::new(48_000.0);
        e.set_patch(&p);
        e.prepare(48_000.0);
        e
    };
    let (first, _) = render(&mut prepared(), &p, &[note_on(0, 69, 1.0)], 512, &[64]);
    let events = [note_on(32, 69, 1.0)];
    let (later, _) = render(&mut prepared(), &p, &events, 512 + 32, &[64]);
    assert!(first.iter().any(|v| *v != 0.0));
    let same = first
        .iter()
        .zip(&later[32..])
        .all(|(a, b)| a.to_bits() == b.to_bits());
    assert!(
        same,
        "the first note differs from the same note played later"
    );
}

#[test]
fn no_voice_is_left_after_releases_pedal_and_all_notes_off() {
    let p = plain_patch();
    let mut e = SimdEngine::new(48_000.0);
    let mut ev = vec![(0, EventKind::Sustain(true))];
    for i in 0..20u64 {
        ev.push(note_on(i * 100, 40 + i as u8, 0.8));
        ev.push(note_off(i * 100 + 50, 40 + i as u8));
    }
    ev.push((5_000, EventKind::Sustain(false)));
    // Notes still held get all-notes-off; a note-off for a key never played is ignored.
    for i in 0..10u64 {
        ev.push(note_on(10_000 + i, 70 + i as u8, 0.5));
    }
    ev.push(note_off(10_100, 20));
    ev.push((12_000, EventKind::AllNotesOff));
    ev.sort_by_key(|e| e.0);
    let (l, _) = render(&mut e, &p, &ev, 48_000, &[256]);
    assert_eq!(e.active_voices(), 0);
    assert!(
        l[40_000..].iter().all(|v| *v == 0.0),
        "the tail is not exact silence"
    );
    // The pedal really held the notes: they still sound after their note-offs.
    assert!(rms(&l[4_000..5_000]) > 1e-3);
}

#[test]
fn pedal_held_notes_sound_until_the_pedal_lifts() {
    let p = plain_patch();
    let ev = [
        (0, EventKind::Sustain(true)),
        note_on(0, 60, 1.0),
        note_off(1_000, 60),
        (20_000, EventKind::Sustain(false)),
    ];
    let mut e = SimdEngine::new(48_000.0);
    let (l, _) = render(&mut e, &p, &ev, 30_000, &[512]);
    assert!(rms(&l[15_000..19_000]) > 1e-2);
    assert_eq!(e.active_voices(), 0);
}

#[test]
fn stealing_fades_without_a_click() {
    let mut p = plain_patch();
    p.voice.polyphony = 2;
    p.osc1.wave = Waveform::Sine;
    p.osc2.level = 0.0;
    p.filter.cutoff_hz = 20_000.0;
    p.filter.env_amount_oct = 0.0;
    let ev = [
        note_on(0, 60, 1.0),
        note_on(0, 67, 1.0),
        note_on(20_000, 64, 1.0),
    ];
    let mut e = SimdEngine::new(48_000.0);
    let (l, _) = render(&mut e, &p, &ev, 24_000, &[512]);
    let normal = max_step(&l[10_000..20_000]);
    let at_steal = max_step(&l[19_990..20_400]);
    assert!(
        at_steal <= normal * 1.05,
        "steal step {at_steal} vs normal {normal}"
    );
    assert_eq!(e.active_voices(), 2, "the stolen voice did not end");
}

#[test]
fn stealing_takes_the_oldest_released_note_first() {
    let mut p = plain_patch();
    p.voice.polyphony = 3;
    p.amp_env.release_s = 5.0;
    let played = [
        note_on(0, 60, 1.0),
        note_on(10, 64, 1.0),
        note_off(20, 64),
        note_on(30, 67, 1.0),
        note_on(40, 72, 1.0),
    ];
    let mut e = SimdEngine::new(48_000.0);
    let (l, _) = render(&mut e, &p, &played, 9_000, &[512]);
    assert_eq!(e.active_voices(), 3);
    // After 64's 2 ms fade, what sounds is exactly 60, 67 and 72; had the oldest note (60)
    // been stolen instead, 64's long release would be in the mix.
    let without_64 = [
        note_on(0, 60, 1.0),
        note_on(30, 67, 1.0),
        note_on(40, 72, 1.0),
    ];
    let (reference, _) = render(
        &mut SimdEngine::new(48_000.0),
        &p,
        &without_64,
        9_000,
        &[512],
    );
    let tail = 1_000..9_000;
    let diff = l[tail.clone()]
        .iter()
        .zip(&reference[tail.clone()])
        .map(|(a, b)| (a - b).abs());
    let worst = diff.fold(0.0f32, f32::max);
    assert!(
        worst < 1e-4,
        "the wrong note was stolen (difference {worst})"
    );
    assert!(rms(&reference[tail]) > 1e-2);
}

#[test]
fn lowering_polyphony_steals_every_excess_note_at_the_next_note_on() {
    let mut p = plain_patch();
    p.voice.polyphony = 1_024;
    let mut events: Vec<_> = (0..1_000u64)
        .map(|i| note_on(i / 10, 20 + (i % 90) as u8, 0.5))
        .collect();
    events.push(note_on(2_000, 100, 1.0));
    let mut e = SimdEngine::new(48_000.0);
    render(&mut e, &p, &events[..1_000], 1_500, &[512]);
    assert_eq!(e.active_voices(), 1_000);
    p.voice.polyphony = 2;
    render(&mut e, &p, &[(500, events[1_000].1)], 24_000, &[512]);
    assert_eq!(
        e.active_voices(),
        2,
        "excess notes were not all stolen and faded"
    );
}

#[test]
fn unison_uses_one_lane_per_voice_and_polyphony_counts_lanes() {
    let mut p = plain_patch();
    p.voice.unison = 4;
    p.voice.polyphony = 8;
    let ev = [
        note_on(0, 60, 1.0),
        note_on(0, 64, 1.0),
        note_on(0, 67, 1.0),
    ];
    let mut e = SimdEngine::new(48_000.0);
    render(&mut e, &p, &ev, 4_800, &[512]);
    assert_eq!(e.active_voices(), 8, "two notes of four lanes fit in eight");
}

#[test]
fn mono_legato_glides_without_retriggering() {
    let mut p = plain_patch();
    p.voice.polyphony = 1;
    p.voice.glide_s = 0.1;
    p.amp_env.attack_s = 0.2;
    let ev = [
        note_on(0, 60, 1.0),
        note_on(4_800, 72, 1.0),
        note_off(9_600, 72),
        note_off(12_000, 60),
    ];
    let mut e = SimdEngine::new(48_000.0);
    let (l, _) = render(&mut e, &p, &ev, 40_000, &[512]);
    assert!(
        rms(&l[4_900..5_500]) >= rms(&l[4_000..4_700]) * 0.9,
        "legato retriggered the envelope"
    );
    assert_eq!(e.active_voices(), 0);
}

#[test]
fn choke_and_all_sound_off_silence_within_a_few_milliseconds() {
    let p = plain_patch();
    let ev = [
        note_on(0, 60, 1.0),
        note_on(0, 64, 1.0),
        (
            1_000,
            EventKind::Choke {
                key: 60,
                channel: 0,
                note_id: None,
            },
        ),
        (2_000, EventKind::AllSoundOff),
    ];
    let mut e = SimdEngine::new(48_000.0);
    let (l, _) = render(&mut e, &p, &ev, 3_000, &[64]);
    assert_eq!(e.active_voices(), 0);
    assert!(l[2_200..].iter().all(|v| *v == 0.0));
}

#[test]
fn note_ids_release_only_their_own_note() {
    let p = plain_patch();
    let on = |id| EventKind::NoteOn {
        key: 60,
        velocity: 1.0,
        channel: 0,
        note_id: Some(id),
    };
    let ev = [
        (0, on(1)),
        (10, on(2)),
        (
            100,
            EventKind::NoteOff {
                key: 60,
                channel: 0,
                note_id: Some(1),
            },
        ),
    ];
    let mut e = SimdEngine::new(48_000.0);
    render(&mut e, &p, &ev, 20_000, &[512]);
    assert_eq!(e.active_voices(), 1);
}

#[test]
fn a_note_on_with_a_broken_velocity_neither_plays_nor_releases() {
    let p = plain_patch();
    let broken = EventKind::NoteOn {
        key: 60,
        velocity: f32::NAN,
        channel: 0,
        note_id: None,
    };
    let ev = [note_on(0, 60, 1.0), (100, broken)];
    let mut e = SimdEngine::new(48_000.0);
    let (l, _) = render(&mut e, &p, &ev, 24_000, &[512]);
    assert_eq!(
        e.active_voices(),
        1,
        "the held note was released or a voice started"
    );
    assert!(rms(&l[20_000..]) > 1e-2);
}
