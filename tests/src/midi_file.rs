//! Standard MIDI Files (via `midly`) turned into host events in seconds, tempo-map aware.

use std::collections::HashMap;
use std::path::Path;

use midly::{MetaMessage, MidiMessage, Smf, Timing, TrackEventKind};

use crate::error::HostError;
use crate::events::HostEvent;
use crate::render::ScheduledEvent;
use crate::tempo::TempoMap;

/// An event of the song at a time in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SongEvent {
    /// Time from the start of the song.
    pub seconds: f64,
    /// The event.
    pub event: HostEvent,
}

/// A MIDI file, all tracks merged, ready to be played through the plugin.
#[derive(Debug, Clone, PartialEq)]
pub struct MidiSong {
    /// Events in time order (ties keep file order, track by track).
    pub events: Vec<SongEvent>,
    /// The tempo map built from the file's Set Tempo events (120 BPM when it has none).
    pub tempo: TempoMap,
    /// Time of the last event of any track (end-of-track included), in seconds.
    pub end_seconds: f64,
}

impl MidiSong {
    /// Reads and parses a `.mid` file.
    pub fn load(path: &Path) -> Result<Self, HostError> {
        let bytes = std::fs::read(path)
            .map_err(|e| HostError::File(format!("reading {}: {e}", path.display())))?;
        Self::parse(&bytes).map_err(|e| HostError::File(format!("parsing {}: {e}", path.display())))
    }

    /// Parses Standard MIDI File bytes: note on/off (velocity-0 note-ons are note-offs), pitch
    /// bend, control change (sustain included), channel and polyphonic pressure. Program changes,
    /// SysEx and other meta events are ignored; Set Tempo events build the tempo map.
    pub fn parse(bytes: &[u8]) -> Result<Self, HostError> {
        let smf = Smf::parse(bytes).map_err(|e| HostError::File(format!("invalid MIDI: {e}")))?;

        // Merge all tracks into one list of (tick, kind), stable by track then position.
        let mut merged = Vec::new();
        for track in &smf.tracks {
            let mut tick = 0u64;
            for event in track {
                tick += u64::from(event.delta.as_int());
                merged.push((tick, event.kind));
            }
        }
        merged.sort_by_key(|(tick, _)| *tick);

        let (tempo, clock) = match smf.header.timing {
            Timing::Metrical(tpq) => {
                let tpq = f64::from(tpq.as_int().max(1));
                let mut map = TempoMap::constant(120.0);
                for (tick, kind) in &merged {
                    if let TrackEventKind::Meta(MetaMessage::Tempo(us)) = kind {
                        let us = f64::from(us.as_int().max(1));
                        map.set_tempo_at_beat(*tick as f64 / tpq, 60_000_000.0 / us);
                    }
                }
                (map, Clock::TicksPerBeat(tpq))
            }
            Timing::Timecode(fps, subframes) => (
                TempoMap::constant(120.0),
                Clock::TicksPerSecond(f64::from(fps.as_f32()) * f64::from(subframes.max(1))),
            ),
        };
        let tick_seconds = |tick: u64| match clock {
            Clock::TicksPerBeat(tpq) => tempo.seconds_at_beat(tick as f64 / tpq),
            Clock::TicksPerSecond(tps) => tick as f64 / tps,
        };

        let mut notes = NoteIds::default();
        let mut events = Vec::new();
        let mut end_seconds: f64 = 0.0;
        for (tick, kind) in &merged {
            let seconds = tick_seconds(*tick);
            end_seconds = end_seconds.max(seconds);
            let TrackEventKind::Midi { channel, message } = kind else {
                continue;
            };
            let channel = channel.as_int();
            let event = match *message {
                MidiMessage::NoteOn { key, vel } if vel.as_int() > 0 => {
                    let key = key.as_int();
                    HostEvent::NoteOn {
                        note_id: notes.open(channel, key),
                        key,
                        channel,
                        velocity: f64::from(vel.as_int()) / 127.0,
                    }
                }
                MidiMessage::NoteOn { key, vel } | MidiMessage::NoteOff { key, vel } => {
                    let key = key.as_int();
                    HostEvent::NoteOff {
                        note_id: notes.close(channel, key),
                        key,
                        channel,
                        velocity: f64::from(vel.as_int()) / 127.0,
                    }
                }
                MidiMessage::PitchBend { bend } => HostEvent::pitch_bend(channel, bend.0.as_int()),
                MidiMessage::Controller { controller, value } => {
                    HostEvent::control_change(channel, controller.as_int(), value.as_int())
                }
                MidiMessage::ChannelAftertouch { vel } => {
                    HostEvent::channel_pressure(channel, vel.as_int())
                }
                MidiMessage::Aftertouch { key, vel } => HostEvent::Midi {
                    data: [0xA0 | channel, key.as_int(), vel.as_int()],
                },
                MidiMessage::ProgramChange { .. } => continue,
            };
            events.push(SongEvent { seconds, event });
        }
        Ok(Self {
            events,
            tempo,
            end_seconds,
        })
    }

    /// The events at absolute frames for `sample_rate` (each rounded to the nearest frame).
    pub fn schedule(&self, sample_rate: f64) -> Vec<ScheduledEvent> {
        self.events
            .iter()
            .map(|e| ScheduledEvent::new((e.seconds * sample_rate).round() as u64, e.event))
            .collect()
    }
}

/// How the file's ticks map to time.
#[derive(Clone, Copy)]
enum Clock {
    /// Metrical timing: ticks per quarter note, time follows the tempo map.
    TicksPerBeat(f64),
    /// SMPTE timing: a fixed number of ticks per second.
    TicksPerSecond(f64),
}

/// Gives every note-on a unique CLAP note id and hands it back to the matching note-off
/// (first on, first off for repeated keys).
#[derive(Default)]
struct NoteIds {
    next: i32,
    open: HashMap<(u8, u8), Vec<i32>>,
}

impl NoteIds {
    fn open(&mut self, channel: u8, key: u8) -> i32 {
        let id = self.next;
        self.next = self.next.wrapping_add(1) & i32::MAX;
        self.open.entry((channel, key)).or_default().push(id);
        id
    }

    fn close(&mut self, channel: u8, key: u8) -> i32 {
        match self.open.get_mut(&(channel, key)) {
            Some(ids) if !ids.is_empty() => ids.remove(0),
            _ => -1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use midly::{Format, Header, TrackEvent, num::u28};

    fn ev(delta: u32, kind: TrackEventKind<'static>) -> TrackEvent<'static> {
        TrackEvent {
            delta: u28::new(delta),
            kind,
        }
    }

    fn midi(channel: u8, message: MidiMessage) -> TrackEventKind<'static> {
        TrackEventKind::Midi {
            channel: channel.into(),
            message,
        }
    }

    #[test]
    fn tempo_changes_and_tracks_are_merged() {
        // 480 ticks per quarter; 120 BPM, then 60 BPM from beat 2.
        let tempo_track = vec![
            ev(0, TrackEventKind::Meta(MetaMessage::Tempo(500_000.into()))),
            ev(
                960,
                TrackEventKind::Meta(MetaMessage::Tempo(1_000_000.into())),
            ),
            ev(0, TrackEventKind::Meta(MetaMessage::EndOfTrack)),
        ];
        let note_track = vec![
            ev(
                0,
                midi(
                    0,
                    MidiMessage::NoteOn {
                        key: 60.into(),
                        vel: 127.into(),
                    },
                ),
            ),
            ev(
                960,
                midi(
                    0,
                    MidiMessage::Controller {
                        controller: 64.into(),
                        value: 127.into(),
                    },
                ),
            ),
            ev(
                480,
                midi(
                    0,
                    MidiMessage::NoteOn {
                        key: 60.into(),
                        vel: 0.into(),
                    },
                ),
            ),
            ev(
                0,
                midi(
                    1,
                    MidiMessage::PitchBend {
                        bend: midly::PitchBend(8192.into()),
                    },
                ),
            ),
            ev(0, TrackEventKind::Meta(MetaMessage::EndOfTrack)),
        ];
        let smf = Smf {
            header: Header::new(Format::Parallel, Timing::Metrical(480.into())),
            tracks: vec![tempo_track, note_track],
        };
        let mut bytes = Vec::new();
        smf.write_std(&mut bytes).unwrap();
        let song = MidiSong::parse(&bytes).unwrap();

        let times: Vec<f64> = song.events.iter().map(|e| e.seconds).collect();
        assert_eq!(times, vec![0.0, 1.0, 2.0, 2.0]);
        assert_eq!(song.end_seconds, 2.0);
        assert_eq!(
            song.events[0].event,
            HostEvent::NoteOn {
                note_id: 0,
                key: 60,
                channel: 0,
                velocity: 1.0
            }
        );
        assert_eq!(song.events[1].event, HostEvent::control_change(0, 64, 127));
        assert_eq!(
            song.events[2].event,
            HostEvent::NoteOff {
                note_id: 0,
                key: 60,
                channel: 0,
                velocity: 0.0
            }
        );
        assert_eq!(
            song.events[3].event,
            HostEvent::Midi {
                data: [0xE1, 0, 64]
            }
        );
        assert_eq!(song.tempo.bpm_at_seconds(1.5), 60.0);
        let frames: Vec<u64> = song.schedule(48_000.0).iter().map(|e| e.frame).collect();
        assert_eq!(frames, vec![0, 48_000, 96_000, 96_000]);
    }
}
