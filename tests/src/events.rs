//! Input events a host sends with a block: notes, MIDI 1.0 messages, parameter values, and the
//! transport that accompanies every block.

use clack_host::events::event_types::{
    MidiEvent, NoteOffEvent, NoteOnEvent, ParamValueEvent, TransportEvent, TransportFlags,
};
use clack_host::events::{EventFlags, EventHeader};
use clack_host::prelude::*;
use clack_host::utils::{BeatTime, SecondsTime};

/// One event, without its time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HostEvent {
    /// A CLAP note-on.
    NoteOn {
        /// Host note id (`-1`: none, as in CLAP).
        note_id: i32,
        /// MIDI key, 0..=127.
        key: u8,
        /// MIDI channel, 0..=15.
        channel: u8,
        /// Velocity, 0..=1.
        velocity: f64,
    },
    /// A CLAP note-off.
    NoteOff {
        /// Host note id (`-1`: match by key and channel).
        note_id: i32,
        /// MIDI key, 0..=127.
        key: u8,
        /// MIDI channel, 0..=15.
        channel: u8,
        /// Release velocity, 0..=1.
        velocity: f64,
    },
    /// A 3-byte MIDI 1.0 message (pitch bend, control change, channel pressure...).
    Midi {
        /// Status byte and two data bytes.
        data: [u8; 3],
    },
    /// A parameter value change, in the CLAP-visible range of the parameter.
    ParamValue {
        /// The CLAP parameter id.
        id: u32,
        /// The new value.
        value: f64,
    },
}

impl HostEvent {
    /// A note-on on channel 0.
    pub fn note_on(note_id: i32, key: u8, velocity: f64) -> Self {
        Self::NoteOn {
            note_id,
            key,
            channel: 0,
            velocity,
        }
    }

    /// A note-off on channel 0.
    pub fn note_off(note_id: i32, key: u8) -> Self {
        Self::NoteOff {
            note_id,
            key,
            channel: 0,
            velocity: 0.0,
        }
    }

    /// MIDI pitch bend; `value` is 14-bit, 8192 is centre.
    pub fn pitch_bend(channel: u8, value: u16) -> Self {
        let value = value.min(0x3fff);
        Self::Midi {
            data: [
                0xE0 | (channel & 0x0f),
                (value & 0x7f) as u8,
                (value >> 7) as u8,
            ],
        }
    }

    /// MIDI control change (CC64 is the sustain pedal).
    pub fn control_change(channel: u8, controller: u8, value: u8) -> Self {
        Self::Midi {
            data: [0xB0 | (channel & 0x0f), controller & 0x7f, value & 0x7f],
        }
    }

    /// MIDI channel pressure (aftertouch).
    pub fn channel_pressure(channel: u8, pressure: u8) -> Self {
        Self::Midi {
            data: [0xD0 | (channel & 0x0f), pressure & 0x7f, 0],
        }
    }

    /// A parameter value change.
    pub fn param(id: u32, value: f64) -> Self {
        Self::ParamValue { id, value }
    }

    /// Appends this event, at frame `offset` of the block, to a CLAP event buffer.
    pub(crate) fn push_to(&self, offset: u32, buffer: &mut EventBuffer) {
        match *self {
            Self::NoteOn {
                note_id,
                key,
                channel,
                velocity,
            } => buffer.push(&NoteOnEvent::new(
                offset,
                Pckn::from_raw(0, i16::from(channel), i16::from(key), note_id),
                velocity,
            )),
            Self::NoteOff {
                note_id,
                key,
                channel,
                velocity,
            } => buffer.push(&NoteOffEvent::new(
                offset,
                Pckn::from_raw(0, i16::from(channel), i16::from(key), note_id),
                velocity,
            )),
            Self::Midi { data } => buffer.push(&MidiEvent::new(offset, 0, data)),
            Self::ParamValue { id, value } => buffer.push(&ParamValueEvent::new(
                offset,
                ClapId::new(id),
                Pckn::match_all(),
                value,
            )),
        }
    }
}

/// An event at a frame offset inside one block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedEvent {
    /// Frame offset from the start of the block.
    pub offset: u32,
    /// The event.
    pub event: HostEvent,
}

impl TimedEvent {
    /// An event at `offset`.
    pub fn new(offset: u32, event: HostEvent) -> Self {
        Self { offset, event }
    }
}

/// The host transport at the start of a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transport {
    /// Tempo in beats (quarter notes) per minute.
    pub tempo_bpm: f64,
    /// Whether the transport is playing.
    pub playing: bool,
    /// Song position at the block start, in beats.
    pub beat_position: f64,
    /// Song position at the block start, in seconds.
    pub seconds_position: f64,
    /// Time signature numerator and denominator.
    pub time_signature: (u16, u16),
}

impl Transport {
    /// A playing 4/4 transport at `tempo_bpm`, at the given position.
    pub fn playing(tempo_bpm: f64, beat_position: f64, seconds_position: f64) -> Self {
        Self {
            tempo_bpm,
            playing: true,
            beat_position,
            seconds_position,
            time_signature: (4, 4),
        }
    }

    /// The CLAP transport structure for this state.
    pub fn to_clap(&self) -> TransportEvent {
        let (num, denom) = self.time_signature;
        let bar_beats = f64::from(num.max(1)) * 4.0 / f64::from(denom.max(1));
        let bar = (self.beat_position / bar_beats).floor();
        let mut flags = TransportFlags::HAS_TEMPO
            | TransportFlags::HAS_BEATS_TIMELINE
            | TransportFlags::HAS_SECONDS_TIMELINE
            | TransportFlags::HAS_TIME_SIGNATURE;
        if self.playing {
            flags |= TransportFlags::IS_PLAYING;
        }
        TransportEvent {
            header: EventHeader::new_core(0, EventFlags::empty()),
            flags,
            song_pos_beats: BeatTime::from_float(self.beat_position),
            song_pos_seconds: SecondsTime::from_float(self.seconds_position),
            tempo: self.tempo_bpm,
            tempo_inc: 0.0,
            loop_start_beats: BeatTime::from_int(0),
            loop_end_beats: BeatTime::from_int(0),
            loop_start_seconds: SecondsTime::from_int(0),
            loop_end_seconds: SecondsTime::from_int(0),
            bar_start: BeatTime::from_float(bar * bar_beats),
            bar_number: bar as i32,
            time_signature_numerator: num,
            time_signature_denominator: denom,
        }
    }
}
