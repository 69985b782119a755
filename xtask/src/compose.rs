//! `cargo xtask compose`: writes the demo piece, `assets/demo.mid`, deterministically.
//!
//! The piece is 13 bars of 4/4 at 100 BPM in A minor (about 32 s), written for one Octolane
//! instance on MIDI channel 1, so the three parts live in separate registers:
//! bass (E1–C3), pads (E3–G4, 3–4 note voicings) and lead (B4–C6).
//!
//! - bars 1–4, intro: held pad chords and bass roots while the mod wheel opens up;
//! - bars 5–8: the lead melody over syncopated pad stabs and an eighth-note bass;
//! - bars 9–12: arpeggiated pads under the sustain pedal (re-pedalled at every chord change),
//!   half-note bass, a lyrical lead made of chord tones so the pedal never smears it;
//! - bar 13: the final A minor chord, held by the pedal.
//!
//! Every two bars the band breathes on beat 4 and the lead plays a pickup that bends up into
//! pitch (14-bit pitch bend, one semitone below with the usual ±2 semitone range, easing out
//! over a dotted sixteenth). Pitch bend is channel-wide, so bends only happen in those breaths.

use crate::midi_part::{Order, PPQ, Part, event, tick};
use anyhow::{Context, Result};
use midly::num::{u15, u24};
use midly::{Format, Header, MetaMessage, Smf, Timing, TrackEvent, TrackEventKind};
use std::path::Path;

/// Tempo of the piece.
const BPM: u32 = 100;
/// Bars including the final chord.
const BARS: usize = 13;
/// Beats of silence after the final chord, so the release tail is heard.
const TAIL_BEATS: f64 = 2.0;
/// How far below the target a bent note starts.
const BEND_DEPTH_SEMITONES: f64 = 1.0;
/// How long a bend takes to reach pitch, in beats.
const BEND_GLIDE_BEATS: f64 = 0.375;
/// Delay between a chord change and pressing the pedal again (legato pedalling).
const PEDAL_REPRESS_TICKS: u32 = 60;
const CC_MOD_WHEEL: u8 = 1;

/// Pads: four voices E3–G4. Bass: the root, E1–D2.
const AM7: ([u8; 4], u8) = ([57, 60, 64, 67], 33);
const FMAJ7: ([u8; 4], u8) = ([53, 57, 60, 64], 29);
const C: ([u8; 4], u8) = ([55, 60, 64, 67], 36);
const G: ([u8; 4], u8) = ([55, 59, 62, 67], 31);
const DM7: ([u8; 4], u8) = ([53, 57, 60, 62], 38);
const E7SUS4: ([u8; 4], u8) = ([52, 57, 59, 62], 28);
const E7: ([u8; 4], u8) = ([52, 56, 59, 62], 28);
const AM: ([u8; 4], u8) = ([52, 57, 60, 64], 33);

/// The chord of each bar (bar 12 turns from E7sus4 to E7 on beat 3).
const PROGRESSION: [([u8; 4], u8); BARS] = [
    AM7, FMAJ7, C, G, AM7, FMAJ7, C, G, DM7, AM7, FMAJ7, E7SUS4, AM,
];

/// The lead: (bar, beat, length in beats, key, bend into it).
const LEAD: &[(usize, f64, f64, u8, bool)] = &[
    (3, 3.0, 1.0, 76, true),
    (4, 0.0, 1.5, 81, false),
    (4, 1.5, 0.5, 79, false),
    (4, 2.0, 1.0, 76, false),
    (4, 3.0, 0.5, 74, false),
    (4, 3.5, 0.5, 72, false),
    (5, 0.0, 1.5, 72, false),
    (5, 1.5, 0.5, 74, false),
    (5, 2.0, 1.0, 76, false),
    (5, 3.0, 1.0, 79, true),
    (6, 0.0, 1.0, 76, false),
    (6, 1.0, 0.5, 79, false),
    (6, 1.5, 1.5, 84, false),
    (6, 3.0, 0.5, 83, false),
    (6, 3.5, 0.5, 79, false),
    (7, 0.0, 1.5, 74, false),
    (7, 1.5, 0.5, 71, false),
    (7, 2.0, 1.0, 74, false),
    (7, 3.0, 1.0, 76, true),
    (8, 0.0, 1.5, 81, false),
    (8, 1.5, 0.5, 77, false),
    (8, 2.0, 1.0, 74, false),
    (8, 3.0, 1.0, 72, false),
    (9, 0.0, 2.0, 76, false),
    (9, 2.0, 1.0, 79, false),
    (9, 3.0, 1.0, 72, true),
    (10, 0.0, 1.5, 81, false),
    (10, 1.5, 0.5, 76, false),
    (10, 2.0, 1.0, 77, false),
    (10, 3.0, 1.0, 72, false),
    (11, 0.0, 2.0, 71, false),
    (11, 2.0, 1.0, 74, false),
    (11, 3.0, 1.0, 80, true),
    (12, 0.0, 3.0, 81, false),
];

/// Mod wheel breakpoints (beat, value), joined by raised-cosine curves.
const MOD_WHEEL: [(f64, f64); 5] = [
    (0.0, 0.0),
    (16.0, 70.0),
    (32.0, 30.0),
    (48.0, 110.0),
    (52.0, 0.0),
];

/// Writes the piece to `path` and prints a one-line summary.
pub fn compose(path: &Path) -> Result<()> {
    let bytes = compose_bytes()?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    std::fs::write(path, &bytes).with_context(|| format!("could not write {}", path.display()))?;
    println!(
        "Wrote {} ({} bytes): {BARS} bars of 4/4 at {BPM} BPM, {:.1} s, pads + bass + lead on MIDI channel 1",
        path.display(),
        bytes.len(),
        seconds(end_tick())
    );
    Ok(())
}

/// The whole piece as a type-1 Standard MIDI File.
pub fn compose_bytes() -> Result<Vec<u8>> {
    let parts = [pads(), bass(), lead(), mod_wheel()];
    let mut tracks = vec![tempo_track()];
    tracks.extend(parts.iter().map(|part| part.to_track(end_tick())));
    let smf = Smf {
        header: Header::new(Format::Parallel, Timing::Metrical(u15::new(PPQ))),
        tracks,
    };
    let mut bytes = Vec::new();
    smf.write_std(&mut bytes)
        .context("could not encode the MIDI file")?;
    Ok(bytes)
}

/// Tempo, meter and key (A minor).
fn tempo_track() -> Vec<TrackEvent<'static>> {
    let meta = |m| TrackEventKind::Meta(m);
    vec![
        event(0, meta(MetaMessage::TrackName(b"Octolane demo"))),
        event(0, meta(MetaMessage::Tempo(u24::new(60_000_000 / BPM)))),
        event(0, meta(MetaMessage::TimeSignature(4, 2, 24, 8))),
        event(0, meta(MetaMessage::KeySignature(0, true))),
        event(end_tick(), meta(MetaMessage::EndOfTrack)),
    ]
}

fn end_tick() -> u32 {
    tick(BARS, TAIL_BEATS)
}

fn seconds(ticks: u32) -> f64 {
    f64::from(ticks) / f64::from(PPQ) * 60.0 / f64::from(BPM)
}

/// Bars whose fourth beat is a breath for the lead's bent pickup.
fn breathes(bar: usize) -> bool {
    matches!(bar, 3 | 5 | 7 | 9 | 11)
}

/// Beats the accompaniment plays in `bar`.
fn accompaniment_beats(bar: usize) -> f64 {
    if breathes(bar) { 3.0 } else { 4.0 }
}

/// A small, fixed velocity variation so repeated notes do not sound machine-stamped.
fn humanize(vel: u8, index: usize) -> u8 {
    let offset = [0i16, 3, -2, 1, -3, 2, -1][index % 7];
    (i16::from(vel) + offset).clamp(1, 127) as u8
}

fn pads() -> Part {
    let mut part = Part::new("Pads");
    part.pedal(0, false);
    for (bar, &(voicing, _)) in PROGRESSION.iter().enumerate() {
        let end = accompaniment_beats(bar);
        match bar {
            // Intro: held chords.
            0..=3 => {
                for (i, &key) in voicing.iter().enumerate() {
                    part.note(bar, 0.0, end, key, humanize(66, bar + i));
                }
            }
            // Syncopated stabs under the melody.
            4..=7 => {
                let mut hits = vec![(0.0, 1.5, 62), (1.5, 1.5, 54)];
                if !breathes(bar) {
                    hits.push((3.0, 1.0, 58));
                }
                for (h, (beat, len, vel)) in hits.into_iter().enumerate() {
                    for (i, &key) in voicing.iter().enumerate() {
                        part.note(bar, beat, len, key, humanize(vel, bar + h + i));
                    }
                }
            }
            // Eighth-note arpeggios held by the pedal, re-pedalled at every change.
            8..=11 => {
                const PATTERN: [usize; 8] = [0, 1, 2, 3, 2, 1, 2, 3];
                let steps = (end * 2.0) as usize;
                for (step, &voice) in PATTERN.iter().enumerate().take(steps) {
                    let beat = step as f64 * 0.5;
                    let chord = if bar == 11 && beat >= 2.0 {
                        E7.0
                    } else {
                        voicing
                    };
                    let vel = if step % 2 == 0 { 60 } else { 52 };
                    part.note(bar, beat, 0.5, chord[voice], humanize(vel, step + bar));
                }
                part.pedal(tick(bar, 0.0) + PEDAL_REPRESS_TICKS, true);
                if bar == 11 {
                    part.pedal(tick(bar, 2.0), false);
                    part.pedal(tick(bar, 2.0) + PEDAL_REPRESS_TICKS, true);
                }
                part.pedal(tick(bar, end), false);
            }
            // The final chord: struck, let go, held by the pedal to the end of the bar.
            _ => {
                for (i, &key) in voicing.iter().enumerate() {
                    part.note(bar, 0.0, 2.0, key, humanize(68, i));
                }
                part.pedal(tick(bar, 0.0) + PEDAL_REPRESS_TICKS, true);
                part.pedal(tick(bar, 4.0), false);
            }
        }
    }
    part
}

fn bass() -> Part {
    let mut part = Part::new("Bass");
    for (bar, &(_, root)) in PROGRESSION.iter().enumerate() {
        let end = accompaniment_beats(bar);
        match bar {
            0..=3 => part.note(bar, 0.0, end, root, humanize(88, bar)),
            // Root, root, octave, root | root, fifth, octave, fifth — staccato eighths.
            4..=7 => {
                const STEPS: [u8; 8] = [0, 0, 12, 0, 0, 7, 12, 7];
                let steps = (end * 2.0) as usize;
                for (step, &interval) in STEPS.iter().enumerate().take(steps) {
                    let vel = if step % 2 == 0 { 86 } else { 72 };
                    let beat = step as f64 * 0.5;
                    part.note(bar, beat, 0.4, root + interval, humanize(vel, step));
                }
            }
            // Half notes: root, then fifth.
            8..=11 => {
                part.note(bar, 0.0, 2.0, root, humanize(86, bar));
                part.note(bar, 2.0, end - 2.0, root + 7, humanize(78, bar + 1));
            }
            // Struck with the final chord and held by the pedal.
            _ => part.note(bar, 0.0, 2.0, root, 90),
        }
    }
    part
}

fn lead() -> Part {
    let mut part = Part::new("Lead");
    part.bend(0, 0.0);
    for (i, &(bar, beat, beats, key, bend_in)) in LEAD.iter().enumerate() {
        if bend_in {
            // Start a semitone flat and ease out (quadratic) into pitch.
            let start = tick(bar, beat);
            let glide = tick(0, BEND_GLIDE_BEATS);
            const STEPS: u32 = 12;
            for step in 0..=STEPS {
                let x = f64::from(step) / f64::from(STEPS);
                let eased = 1.0 - (1.0 - x) * (1.0 - x);
                part.bend(
                    start + glide * step / STEPS,
                    -BEND_DEPTH_SEMITONES * (1.0 - eased),
                );
            }
        }
        let vel = if beat == 0.0 { 96 } else { 86 };
        part.note(bar, beat, beats, key, humanize(vel, i));
    }
    part
}

fn mod_wheel() -> Part {
    let mut part = Part::new("Mod wheel");
    let step = u32::from(PPQ) / 8;
    let mut last = None;
    for at in (0..=tick(BARS, 0.0)).step_by(step as usize) {
        let value = mod_wheel_at(f64::from(at) / f64::from(PPQ));
        if last != Some(value) {
            part.controller(at, Order::Controller, CC_MOD_WHEEL, value);
            last = Some(value);
        }
    }
    part
}

/// The mod wheel position at `beat`, 0–127.
fn mod_wheel_at(beat: f64) -> u8 {
    let value = MOD_WHEEL
        .windows(2)
        .find(|w| beat >= w[0].0 && beat <= w[1].0)
        .map(|w| {
            let x = (beat - w[0].0) / (w[1].0 - w[0].0);
            let smooth = 0.5 - 0.5 * (std::f64::consts::PI * x).cos();
            w[0].1 + (w[1].1 - w[0].1) * smooth
        })
        .unwrap_or(0.0);
    value.round().clamp(0.0, 127.0) as u8
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
