//! One part of a MIDI piece, written in absolute ticks and encoded as a type-1 track with
//! every channel message on MIDI channel 1.

use midly::num::{u4, u7, u28};
use midly::{MetaMessage, MidiMessage, PitchBend, TrackEvent, TrackEventKind};

/// Ticks per quarter note.
pub const PPQ: u16 = 480;
/// Pitch bend range the bends are written for (the General MIDI default).
pub const BEND_RANGE_SEMITONES: f64 = 2.0;
/// Sustain pedal controller.
pub const CC_SUSTAIN: u8 = 64;

/// Absolute tick of `beat` within `bar` (4/4, 0-based; beats may run past the bar).
pub fn tick(bar: usize, beat: f64) -> u32 {
    ((bar as f64 * 4.0 + beat) * f64::from(PPQ)).round() as u32
}

/// At equal ticks: releases, then pedal up, bends, controllers, note-ons, pedal down.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Order {
    NoteOff,
    PedalUp,
    Bend,
    Controller,
    NoteOn,
    PedalDown,
}

/// One part (one track) of the piece, events in absolute ticks.
pub struct Part {
    name: &'static str,
    /// (absolute tick, order at that tick, message).
    pub events: Vec<(u32, Order, MidiMessage)>,
}

impl Part {
    pub fn new(name: &'static str) -> Self {
        Part {
            name,
            events: Vec::new(),
        }
    }

    /// A note from `beat` in `bar` (0-based) lasting `beats`.
    pub fn note(&mut self, bar: usize, beat: f64, beats: f64, key: u8, vel: u8) {
        let on = tick(bar, beat);
        let off = tick(bar, beat + beats);
        let (key, vel) = (u7::new(key), u7::new(vel.clamp(1, 127)));
        self.events
            .push((on, Order::NoteOn, MidiMessage::NoteOn { key, vel }));
        let vel = u7::new(64);
        self.events
            .push((off, Order::NoteOff, MidiMessage::NoteOff { key, vel }));
    }

    pub fn controller(&mut self, at: u32, order: Order, controller: u8, value: u8) {
        let message = MidiMessage::Controller {
            controller: u7::new(controller),
            value: u7::new(value),
        };
        self.events.push((at, order, message));
    }

    pub fn pedal(&mut self, at: u32, down: bool) {
        let (order, value) = if down {
            (Order::PedalDown, 127)
        } else {
            (Order::PedalUp, 0)
        };
        self.controller(at, order, CC_SUSTAIN, value);
    }

    /// A bend by `semitones` (negative = down) as a 14-bit pitch bend event.
    pub fn bend(&mut self, at: u32, semitones: f64) {
        let value = (semitones / BEND_RANGE_SEMITONES * 8192.0).round() as i32;
        let bend = PitchBend::from_int(value.clamp(-8192, 8191) as i16);
        self.events
            .push((at, Order::Bend, MidiMessage::PitchBend { bend }));
    }

    /// Sorts the events and turns them into a track that ends with the piece.
    pub fn to_track(&self, end_tick: u32) -> Vec<TrackEvent<'static>> {
        let mut events = self.events.clone();
        // Stable: events at the same tick and order keep the order they were written in.
        events.sort_by_key(|(at, order, _)| (*at, *order));
        let name = TrackEventKind::Meta(MetaMessage::TrackName(self.name.as_bytes()));
        let mut track = vec![event(0, name)];
        let mut last = 0;
        for (at, _, message) in events {
            let kind = TrackEventKind::Midi {
                channel: u4::new(0),
                message,
            };
            track.push(event(at - last, kind));
            last = at;
        }
        track.push(event(
            end_tick - last,
            TrackEventKind::Meta(MetaMessage::EndOfTrack),
        ));
        track
    }
}

pub fn event(delta: u32, kind: TrackEventKind<'static>) -> TrackEvent<'static> {
    TrackEvent {
        delta: u28::new(delta),
        kind,
    }
}
