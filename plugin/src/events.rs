//! Host note and MIDI events → engine events.

use nice_plug::midi::{Channel, Key, VoiceID};
use nice_plug::prelude::*;
use octolane_dsp::event::ANY;
use octolane_dsp::{Event, EventKind};

/// CC numbers Octolane answers to.
const CC_MOD_WHEEL: u8 = 1;
const CC_SUSTAIN: u8 = 64;
const CC_ALL_SOUND_OFF: u8 = 120;
const CC_ALL_NOTES_OFF: u8 = 123;

fn id(voice_id: VoiceID) -> Option<i32> {
    voice_id.id().filter(|v| *v >= 0)
}

fn key(key: Key) -> u8 {
    key.number().map_or(ANY, |k| k.min(127))
}

fn channel(channel: Channel) -> u8 {
    channel.number().map_or(ANY, |c| c.min(15))
}

/// The engine event for a host event, or `None` for events the engine does not use.
/// Allocation-free.
pub fn translate<S>(event: &NoteEvent<S>) -> Option<Event> {
    let (offset, kind) = match *event {
        NoteEvent::NoteOn {
            timing,
            voice_id,
            channel: ch,
            key: k,
            velocity,
        } => {
            let (Key::Number(k), Channel::Number(ch)) = (k, ch) else {
                return None;
            };
            (
                timing,
                EventKind::NoteOn {
                    key: k.min(127),
                    velocity,
                    channel: ch.min(15),
                    note_id: id(voice_id),
                },
            )
        }
        NoteEvent::NoteOff {
            timing,
            voice_id,
            channel: ch,
            key: k,
            ..
        } => (
            timing,
            EventKind::NoteOff {
                key: key(k),
                channel: channel(ch),
                note_id: id(voice_id),
            },
        ),
        NoteEvent::Choke {
            timing,
            voice_id,
            channel: ch,
            key: k,
        } => (
            timing,
            EventKind::Choke {
                key: key(k),
                channel: channel(ch),
                note_id: id(voice_id),
            },
        ),
        NoteEvent::MidiPitchBend { timing, value, .. } => {
            (timing, EventKind::PitchBend(value * 2.0 - 1.0))
        }
        NoteEvent::MidiChannelPressure {
            timing, pressure, ..
        } => (timing, EventKind::ChannelPressure(pressure)),
        NoteEvent::MidiCC {
            timing, cc, value, ..
        } => match cc {
            CC_MOD_WHEEL => (timing, EventKind::ModWheel(value)),
            CC_SUSTAIN => (timing, EventKind::Sustain(value >= 0.5)),
            CC_ALL_SOUND_OFF => (timing, EventKind::AllSoundOff),
            CC_ALL_NOTES_OFF => (timing, EventKind::AllNotesOff),
            _ => return None,
        },
        _ => return None,
    };
    Some(Event { offset, kind })
}
