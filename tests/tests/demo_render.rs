//! `render_midi_to_wav` (behind `cargo xtask demo`): a MIDI file with a tempo change becomes a
//! float stereo WAV of the right length, with notes where the tempo map puts them.

mod common;

use std::path::PathBuf;

use midly::num::u28;
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};
use octolane_tests::demo::{RELEASE_TAIL_SECONDS, render_midi_to_wav};
use octolane_tests::require_bundle;

const TPQ: u16 = 480;
const RATE: u32 = 48_000;

fn ev(delta: u32, kind: TrackEventKind<'static>) -> TrackEvent<'static> {
    TrackEvent {
        delta: u28::new(delta),
        kind,
    }
}

fn midi(message: MidiMessage) -> TrackEventKind<'static> {
    TrackEventKind::Midi {
        channel: 0.into(),
        message,
    }
}

/// 120 BPM, first note at beat 1 (0.5 s); 60 BPM from beat 2 (1.0 s); the song ends at beat 4,
/// which is 3.0 s only if the tempo change is honoured.
fn song() -> Vec<u8> {
    let q = u32::from(TPQ);
    let tempo = vec![
        ev(0, TrackEventKind::Meta(MetaMessage::Tempo(500_000.into()))),
        ev(
            2 * q,
            TrackEventKind::Meta(MetaMessage::Tempo(1_000_000.into())),
        ),
        ev(2 * q, TrackEventKind::Meta(MetaMessage::EndOfTrack)),
    ];
    let notes = vec![
        ev(
            q,
            midi(MidiMessage::NoteOn {
                key: 60.into(),
                vel: 100.into(),
            }),
        ),
        ev(
            0,
            midi(MidiMessage::Controller {
                controller: 64.into(),
                value: 127.into(),
            }),
        ),
        ev(
            q / 2,
            midi(MidiMessage::NoteOff {
                key: 60.into(),
                vel: 0.into(),
            }),
        ),
        ev(
            q / 2,
            midi(MidiMessage::PitchBend {
                bend: midly::PitchBend(10_000.into()),
            }),
        ),
        ev(0, midi(MidiMessage::ChannelAftertouch { vel: 80.into() })),
        ev(
            0,
            midi(MidiMessage::NoteOn {
                key: 64.into(),
                vel: 90.into(),
            }),
        ),
        ev(
            q,
            midi(MidiMessage::Controller {
                controller: 64.into(),
                value: 0.into(),
            }),
        ),
        ev(
            0,
            midi(MidiMessage::NoteOn {
                key: 64.into(),
                vel: 0.into(),
            }),
        ),
        ev(0, TrackEventKind::Meta(MetaMessage::EndOfTrack)),
    ];
    let smf = Smf {
        header: Header::new(Format::Parallel, Timing::Metrical(TPQ.into())),
        tracks: vec![tempo, notes],
    };
    let mut bytes = Vec::new();
    smf.write_std(&mut bytes).unwrap();
    bytes
}

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("octolane-{}-{name}", std::process::id()))
}

#[test]
fn midi_renders_to_a_float_stereo_wav_following_the_tempo_map() {
    let clap = require_bundle();
    let mid = temp_path("demo.mid");
    let wav = temp_path("demo.wav");
    std::fs::write(&mid, song()).unwrap();

    let mut fractions = Vec::new();
    let stats = render_midi_to_wav(&clap, &mid, &wav, RATE, 512, &mut |f| fractions.push(f))
        .expect("render failed");

    let expected_frames = ((3.0 + RELEASE_TAIL_SECONDS) * f64::from(RATE)).ceil() as u64;
    assert_eq!(
        stats.frames, expected_frames,
        "song length ignores the tempo map"
    );
    assert_eq!(stats.sample_rate, RATE);
    assert!(!fractions.is_empty(), "progress was never reported");
    assert!(
        fractions.windows(2).all(|w| w[0] <= w[1]),
        "progress went backwards"
    );
    assert!(fractions.iter().all(|f| (0.0..=1.0).contains(f)));
    assert_eq!(*fractions.last().unwrap(), 1.0);

    let mut reader = hound::WavReader::open(&wav).unwrap();
    let spec = reader.spec();
    assert_eq!(spec.channels, 2);
    assert_eq!(spec.sample_rate, RATE);
    assert_eq!(spec.bits_per_sample, 32);
    assert_eq!(spec.sample_format, hound::SampleFormat::Float);
    let samples: Vec<f32> = reader.samples::<f32>().map(Result::unwrap).collect();
    std::fs::remove_file(&mid).ok();
    std::fs::remove_file(&wav).ok();

    assert_eq!(samples.len() as u64, 2 * expected_frames);
    assert!(samples.iter().all(|s| s.is_finite()), "non-finite samples");
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    assert_eq!(peak, stats.peak, "reported peak differs from the file's");
    assert!(stats.rms > 0.0 && stats.rms <= stats.peak);

    // The first note is at beat 1 = 0.5 s: silence before, sound within a few samples after.
    let onset = (RATE / 2) as usize;
    let first = samples
        .iter()
        .position(|&s| s != 0.0)
        .expect("silent render")
        / 2;
    assert!(
        (onset..onset + 8).contains(&first),
        "first sound at frame {first}, the note-on is at {onset}"
    );
}
