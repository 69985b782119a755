//! Timed events the engine applies at their exact sample inside a block.

/// Host transport as the engine needs it (for tempo-synced LFOs and motion lanes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transport {
    /// Tempo in beats (quarter notes) per minute; ≤ 0 or non-finite means "no tempo" (120 is used).
    pub tempo_bpm: f64,
    /// Whether the host transport is rolling.
    pub playing: bool,
    /// Song position in quarter-note beats at the start of the block, if the host knows it.
    pub beat_position: Option<f64>,
}

impl Default for Transport {
    fn default() -> Self {
        Self {
            tempo_bpm: 120.0,
            playing: false,
            beat_position: None,
        }
    }
}

/// Key or channel value that matches any key or channel in note-off and choke events.
pub const ANY: u8 = u8::MAX;

/// What happens at an event's sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventKind {
    /// A key goes down. `velocity` is 0…1; `note_id` is the host's id when it has one.
    NoteOn {
        /// MIDI key, 0…127.
        key: u8,
        /// Velocity, 0…1.
        velocity: f32,
        /// MIDI channel, 0…15.
        channel: u8,
        /// Host note id (CLAP), if any.
        note_id: Option<i32>,
    },
    /// A key goes up (the voice enters its release, or is held by the sustain pedal).
    NoteOff {
        /// MIDI key, 0…127.
        key: u8,
        /// MIDI channel, 0…15.
        channel: u8,
        /// Host note id (CLAP), if any; when given only that note is released.
        note_id: Option<i32>,
    },
    /// Silence a note at once (short fade, no release).
    Choke {
        /// MIDI key, 0…127.
        key: u8,
        /// MIDI channel, 0…15.
        channel: u8,
        /// Host note id (CLAP), if any.
        note_id: Option<i32>,
    },
    /// Release every note (CC123); sustained notes are released too.
    AllNotesOff,
    /// Silence every voice at once with a short fade (CC120).
    AllSoundOff,
    /// Pitch bend, −1…+1 (scaled by the patch's bend range).
    PitchBend(f32),
    /// Mod wheel (CC1), 0…1.
    ModWheel(f32),
    /// Sustain pedal (CC64): down holds releases until it comes up.
    Sustain(bool),
    /// Channel pressure (aftertouch), 0…1.
    ChannelPressure(f32),
}

/// An event at a sample offset inside the current block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// Frame offset from the start of the block; offsets past the block end apply at its end.
    pub offset: u32,
    /// What happens.
    pub kind: EventKind,
}
