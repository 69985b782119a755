//! Tests for the demo piece: it parses back, lasts long enough, stays on channel 1, keeps its
//! parts in separate registers, never restrikes a sounding key, and uses bends, pedal and wheel.

use super::*;
use crate::midi_part::CC_SUSTAIN;
use midly::MidiMessage;
use midly::TrackEventKind as Kind;

/// Every channel message with its absolute tick and track index.
fn channel_events(bytes: &[u8]) -> Vec<(u32, usize, u8, MidiMessage)> {
    let smf = Smf::parse(bytes).expect("the composed file parses");
    assert_eq!(smf.header.format, Format::Parallel);
    assert_eq!(smf.header.timing, Timing::Metrical(u15::new(PPQ)));
    let mut events = Vec::new();
    for (index, track) in smf.tracks.iter().enumerate() {
        let mut at = 0u32;
        for event in track {
            at += event.delta.as_int();
            if let Kind::Midi { channel, message } = event.kind {
                events.push((at, index, channel.as_int(), message));
            }
        }
    }
    events
}

#[test]
fn is_deterministic() {
    assert_eq!(compose_bytes().unwrap(), compose_bytes().unwrap());
}

#[test]
fn lasts_at_least_24_seconds_and_uses_only_channel_one() {
    let bytes = compose_bytes().unwrap();
    let events = channel_events(&bytes);
    let last = events.iter().map(|e| e.0).max().unwrap();
    assert!(seconds(last) >= 24.0, "last event at {} s", seconds(last));
    assert!(events.iter().all(|e| e.2 == 0));
}

#[test]
fn parts_keep_apart_and_never_restrike_a_sounding_key() {
    let bytes = compose_bytes().unwrap();
    let mut ranges = [(u8::MAX, 0u8); 5];
    let mut sounding = [false; 128];
    let mut events = channel_events(&bytes);
    // Offs before ons at the same tick, as a host merging the tracks would deliver them.
    events.sort_by_key(|e| (e.0, !matches!(e.3, MidiMessage::NoteOff { .. })));
    for (at, track, _, message) in events {
        match message {
            MidiMessage::NoteOn { key, .. } => {
                let k = key.as_int();
                assert!(!sounding[k as usize], "key {k} restruck at tick {at}");
                sounding[k as usize] = true;
                ranges[track] = (ranges[track].0.min(k), ranges[track].1.max(k));
            }
            MidiMessage::NoteOff { key, .. } => sounding[key.as_int() as usize] = false,
            _ => {}
        }
    }
    assert!(sounding.iter().all(|s| !s), "every note ends");
    let (pads, bass, lead) = (ranges[1], ranges[2], ranges[3]);
    assert!(bass.1 < pads.0, "bass {bass:?} below pads {pads:?}");
    assert!(pads.1 < lead.0, "pads {pads:?} below lead {lead:?}");
}

#[test]
fn uses_voicings_bends_pedal_and_mod_wheel() {
    let bytes = compose_bytes().unwrap();
    let events = channel_events(&bytes);
    let pad_onsets_at_zero = events
        .iter()
        .filter(|e| e.0 == 0 && e.1 == 1 && matches!(e.3, MidiMessage::NoteOn { .. }))
        .count();
    assert!((3..=4).contains(&pad_onsets_at_zero));

    let bends: Vec<i16> = events
        .iter()
        .filter_map(|e| match e.3 {
            MidiMessage::PitchBend { bend } => Some(bend.as_int()),
            _ => None,
        })
        .collect();
    assert!(
        bends.iter().any(|&b| b <= -4000),
        "bends start a semitone flat"
    );
    assert!(bends.iter().all(|&b| b <= 0), "bends only rise into pitch");
    assert_eq!(bends.last(), Some(&0), "the piece ends unbent");

    let controller = |number: u8| -> Vec<u8> {
        events
            .iter()
            .filter_map(|e| match e.3 {
                MidiMessage::Controller { controller, value } if controller == number => {
                    Some(value.as_int())
                }
                _ => None,
            })
            .collect()
    };
    let pedal = controller(CC_SUSTAIN);
    assert!(pedal.contains(&127) && pedal.last() == Some(&0));
    let wheel = controller(CC_MOD_WHEEL);
    assert!(wheel.len() > 50 && wheel.iter().max() >= Some(&100));
    assert_eq!(wheel.last(), Some(&0));
}

#[test]
fn bends_happen_only_while_the_accompaniment_breathes() {
    // A bend is channel-wide: no pad or bass note may start during one.
    let bytes = compose_bytes().unwrap();
    let events = channel_events(&bytes);
    let bent: Vec<u32> = events
        .iter()
        .filter(|e| matches!(e.3, MidiMessage::PitchBend { bend } if bend.as_int() != 0))
        .map(|e| e.0)
        .collect();
    for (at, track, _, message) in &events {
        if *track != 3 && matches!(message, MidiMessage::NoteOn { .. }) {
            assert!(
                !bent
                    .iter()
                    .any(|b| b.abs_diff(*at) < tick(0, BEND_GLIDE_BEATS)),
                "accompaniment note at tick {at} during a bend"
            );
        }
    }
}
