//! The plain parameter block the engine plays: every sound parameter in user units.
//!
//! The plugin fills one `Patch` per (sub-)block from its parameter atomics. Out-of-range or
//! non-finite values are clamped by [`Patch::sanitized`] before the engine uses them, so a bad
//! host value can never reach the DSP.

use crate::motion::{Destination, LANE_COUNT, LaneSettings};

/// Oscillator waveform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Waveform {
    /// Pure sine.
    Sine,
    /// Band-limited triangle (PolyBLAMP corners).
    Triangle,
    /// Band-limited sawtooth (5-point B-spline BLEP).
    #[default]
    Saw,
    /// Band-limited pulse with variable width.
    Pulse,
}

/// State-variable filter response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FilterMode {
    /// 12 dB/octave low-pass.
    Lp12,
    /// 24 dB/octave low-pass (two cascaded stages).
    #[default]
    Lp24,
    /// Band-pass.
    Bp,
    /// 12 dB/octave high-pass.
    Hp,
    /// Notch (band-reject).
    Notch,
}

/// LFO waveform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LfoWave {
    /// Sine.
    #[default]
    Sine,
    /// Triangle.
    Triangle,
    /// Rising saw.
    Saw,
    /// Square.
    Square,
    /// Sample and hold: a new random value each cycle.
    SampleHold,
}

/// Tempo-synced note divisions for the LFO.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SyncDivision {
    /// One whole note.
    Whole,
    /// Dotted whole note.
    WholeDotted,
    /// Whole-note triplet.
    WholeTriplet,
    /// Half note.
    Half,
    /// Dotted half note.
    HalfDotted,
    /// Half-note triplet.
    HalfTriplet,
    /// Quarter note.
    #[default]
    Quarter,
    /// Dotted quarter note.
    QuarterDotted,
    /// Quarter-note triplet.
    QuarterTriplet,
    /// Eighth note.
    Eighth,
    /// Dotted eighth note.
    EighthDotted,
    /// Eighth-note triplet.
    EighthTriplet,
    /// Sixteenth note.
    Sixteenth,
    /// Dotted sixteenth note.
    SixteenthDotted,
    /// Sixteenth-note triplet.
    SixteenthTriplet,
    /// Thirty-second note.
    ThirtySecond,
    /// Dotted thirty-second note.
    ThirtySecondDotted,
    /// Thirty-second-note triplet.
    ThirtySecondTriplet,
}

impl SyncDivision {
    /// Every division, longest first (the order the plugin exposes them in).
    pub const ALL: [SyncDivision; 18] = [
        Self::Whole,
        Self::WholeDotted,
        Self::WholeTriplet,
        Self::Half,
        Self::HalfDotted,
        Self::HalfTriplet,
        Self::Quarter,
        Self::QuarterDotted,
        Self::QuarterTriplet,
        Self::Eighth,
        Self::EighthDotted,
        Self::EighthTriplet,
        Self::Sixteenth,
        Self::SixteenthDotted,
        Self::SixteenthTriplet,
        Self::ThirtySecond,
        Self::ThirtySecondDotted,
        Self::ThirtySecondTriplet,
    ];

    /// Length of one LFO cycle in quarter-note beats.
    pub fn beats(self) -> f64 {
        let index = Self::ALL.iter().position(|d| *d == self).unwrap_or(6);
        let straight = 4.0 / f64::from(1u32 << (index / 3));
        match index % 3 {
            0 => straight,
            1 => straight * 1.5,
            _ => straight * 2.0 / 3.0,
        }
    }

    /// Short musical label, e.g. "1/8 T".
    pub fn label(self) -> &'static str {
        const LABELS: [&str; 18] = [
            "1/1", "1/1 D", "1/1 T", "1/2", "1/2 D", "1/2 T", "1/4", "1/4 D", "1/4 T", "1/8",
            "1/8 D", "1/8 T", "1/16", "1/16 D", "1/16 T", "1/32", "1/32 D", "1/32 T",
        ];
        let index = Self::ALL.iter().position(|d| *d == self).unwrap_or(6);
        LABELS[index]
    }
}

/// One oscillator's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OscPatch {
    /// Waveform.
    pub wave: Waveform,
    /// Pulse width, 0.05…0.95 (only for [`Waveform::Pulse`]).
    pub pulse_width: f32,
    /// Octave offset, −3…+3.
    pub octave: i32,
    /// Semitone offset, −12…+12.
    pub semitones: i32,
    /// Fine tuning in cents, −100…+100.
    pub fine_cents: f32,
    /// Output level, 0…1.
    pub level: f32,
}

/// ADSR envelope times and level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnvPatch {
    /// Attack time in seconds, 0.0005…10.
    pub attack_s: f32,
    /// Decay time in seconds, 0.001…10.
    pub decay_s: f32,
    /// Sustain level, 0…1.
    pub sustain: f32,
    /// Release time in seconds, 0.001…20.
    pub release_s: f32,
}

/// The filter section.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FilterPatch {
    /// Response.
    pub mode: FilterMode,
    /// Cutoff in Hz, 20…20,000.
    pub cutoff_hz: f32,
    /// Resonance, 0…1 (rings near 1, never unstable).
    pub resonance: f32,
    /// Key tracking, 0…1 (1 = cutoff follows the note 1:1, centred on C4).
    pub key_track: f32,
    /// Mod-envelope amount in octaves, −8…+8.
    pub env_amount_oct: f32,
    /// Velocity → cutoff in octaves at full velocity, −4…+4.
    pub velocity_oct: f32,
    /// Drive into the saturator, 0…1.
    pub drive: f32,
}

/// The per-voice LFO.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LfoPatch {
    /// Waveform.
    pub wave: LfoWave,
    /// Free rate in Hz, 0.01…50 (used when `sync` is off).
    pub rate_hz: f32,
    /// Follow the tempo instead of `rate_hz`.
    pub sync: bool,
    /// Tempo-synced cycle length.
    pub division: SyncDivision,
    /// Restart the cycle on every note-on (otherwise voices share a free-running phase).
    pub retrigger: bool,
    /// Depth to pitch in semitones, 0…2 (scaled by the mod wheel).
    pub to_pitch_st: f32,
    /// Depth to cutoff in octaves, −4…+4.
    pub to_cutoff_oct: f32,
    /// Depth to amplitude (tremolo), 0…1.
    pub to_amp: f32,
    /// Depth to pan, 0…1.
    pub to_pan: f32,
}

/// Voice allocation, unison, performance controls and output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VoicePatch {
    /// Maximum sounding lanes, 1…1,024; 1 plays mono/legato.
    pub polyphony: u32,
    /// Lanes per note, 1…8.
    pub unison: u32,
    /// Unison detune spread in cents, 0…100.
    pub unison_detune_cents: f32,
    /// Unison stereo width, 0…1.
    pub unison_width: f32,
    /// Glide (portamento) time in seconds, 0…2.
    pub glide_s: f32,
    /// Pitch-bend range in semitones, 0…24.
    pub bend_range_st: f32,
    /// Channel pressure → cutoff in octaves, −4…+4.
    pub pressure_oct: f32,
    /// Amp velocity sensitivity, 0…1.
    pub velocity_sens: f32,
    /// Mod envelope → pitch in semitones, −24…+24.
    pub mod_env_pitch_st: f32,
    /// Master gain in dB, −60…+6.
    pub master_gain_db: f32,
}

/// Everything the engine needs to know about the sound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Patch {
    /// Oscillator 1.
    pub osc1: OscPatch,
    /// Oscillator 2.
    pub osc2: OscPatch,
    /// White-noise level, 0…1.
    pub noise_level: f32,
    /// Filter.
    pub filter: FilterPatch,
    /// Amplitude envelope.
    pub amp_env: EnvPatch,
    /// Modulation envelope (→ cutoff via `filter.env_amount_oct`, → pitch).
    pub mod_env: EnvPatch,
    /// LFO.
    pub lfo: LfoPatch,
    /// Voice and output.
    pub voice: VoicePatch,
    /// Motion lanes' settings (their curves travel separately, as snapshots).
    pub motion: [LaneSettings; LANE_COUNT],
}

impl Default for Patch {
    /// A warm detuned saw pad.
    fn default() -> Self {
        Self {
            osc1: OscPatch {
                wave: Waveform::Saw,
                pulse_width: 0.5,
                octave: 0,
                semitones: 0,
                fine_cents: 0.0,
                level: 0.8,
            },
            osc2: OscPatch {
                wave: Waveform::Saw,
                pulse_width: 0.5,
                octave: 0,
                semitones: 0,
                fine_cents: 7.0,
                level: 0.6,
            },
            noise_level: 0.0,
            filter: FilterPatch {
                mode: FilterMode::Lp24,
                cutoff_hz: 1_800.0,
                resonance: 0.2,
                key_track: 0.5,
                env_amount_oct: 1.5,
                velocity_oct: 1.0,
                drive: 0.2,
            },
            amp_env: EnvPatch {
                attack_s: 0.08,
                decay_s: 0.6,
                sustain: 0.8,
                release_s: 0.9,
            },
            mod_env: EnvPatch {
                attack_s: 0.3,
                decay_s: 1.2,
                sustain: 0.3,
                release_s: 1.0,
            },
            lfo: LfoPatch {
                wave: LfoWave::Sine,
                rate_hz: 0.4,
                sync: false,
                division: SyncDivision::Quarter,
                retrigger: false,
                to_pitch_st: 0.0,
                to_cutoff_oct: 0.3,
                to_amp: 0.0,
                to_pan: 0.0,
            },
            voice: VoicePatch {
                polyphony: 16,
                unison: 2,
                unison_detune_cents: 12.0,
                unison_width: 0.6,
                glide_s: 0.0,
                bend_range_st: 2.0,
                pressure_oct: 1.0,
                velocity_sens: 0.5,
                mod_env_pitch_st: 0.0,
                master_gain_db: -6.0,
            },
            // Off; lane N starts on the N-th destination.
            motion: std::array::from_fn(|i| LaneSettings {
                destination: Destination::ALL[i % Destination::ALL.len()],
                ..LaneSettings::default()
            }),
        }
    }
}

fn clamp_finite(value: f32, lo: f32, hi: f32, fallback: f32) -> f32 {
    if value.is_finite() {
        value.clamp(lo, hi)
    } else {
        fallback
    }
}

impl OscPatch {
    fn sanitized(self, fallback: &OscPatch) -> Self {
        Self {
            wave: self.wave,
            pulse_width: clamp_finite(self.pulse_width, 0.05, 0.95, fallback.pulse_width),
            octave: self.octave.clamp(-3, 3),
            semitones: self.semitones.clamp(-12, 12),
            fine_cents: clamp_finite(self.fine_cents, -100.0, 100.0, fallback.fine_cents),
            level: clamp_finite(self.level, 0.0, 1.0, fallback.level),
        }
    }
}

impl EnvPatch {
    fn sanitized(self, fallback: &EnvPatch) -> Self {
        Self {
            attack_s: clamp_finite(self.attack_s, 0.0005, 10.0, fallback.attack_s),
            decay_s: clamp_finite(self.decay_s, 0.001, 10.0, fallback.decay_s),
            sustain: clamp_finite(self.sustain, 0.0, 1.0, fallback.sustain),
            release_s: clamp_finite(self.release_s, 0.001, 20.0, fallback.release_s),
        }
    }
}

impl Patch {
    /// The patch with every value clamped to its documented range; non-finite values fall
    /// back to the default patch's. Allocation-free, O(1).
    pub fn sanitized(&self) -> Self {
        let d = Patch::default();
        let f = &self.filter;
        let l = &self.lfo;
        let v = &self.voice;
        Self {
            osc1: self.osc1.sanitized(&d.osc1),
            osc2: self.osc2.sanitized(&d.osc2),
            noise_level: clamp_finite(self.noise_level, 0.0, 1.0, 0.0),
            filter: FilterPatch {
                mode: f.mode,
                cutoff_hz: clamp_finite(f.cutoff_hz, 20.0, 20_000.0, d.filter.cutoff_hz),
                resonance: clamp_finite(f.resonance, 0.0, 1.0, d.filter.resonance),
                key_track: clamp_finite(f.key_track, 0.0, 1.0, d.filter.key_track),
                env_amount_oct: clamp_finite(f.env_amount_oct, -8.0, 8.0, 0.0),
                velocity_oct: clamp_finite(f.velocity_oct, -4.0, 4.0, 0.0),
                drive: clamp_finite(f.drive, 0.0, 1.0, 0.0),
            },
            amp_env: self.amp_env.sanitized(&d.amp_env),
            mod_env: self.mod_env.sanitized(&d.mod_env),
            lfo: LfoPatch {
                wave: l.wave,
                rate_hz: clamp_finite(l.rate_hz, 0.01, 50.0, d.lfo.rate_hz),
                sync: l.sync,
                division: l.division,
                retrigger: l.retrigger,
                to_pitch_st: clamp_finite(l.to_pitch_st, 0.0, 2.0, 0.0),
                to_cutoff_oct: clamp_finite(l.to_cutoff_oct, -4.0, 4.0, 0.0),
                to_amp: clamp_finite(l.to_amp, 0.0, 1.0, 0.0),
                to_pan: clamp_finite(l.to_pan, 0.0, 1.0, 0.0),
            },
            voice: VoicePatch {
                polyphony: v.polyphony.clamp(1, crate::MAX_VOICES as u32),
                unison: v.unison.clamp(1, 8),
                unison_detune_cents: clamp_finite(v.unison_detune_cents, 0.0, 100.0, 0.0),
                unison_width: clamp_finite(v.unison_width, 0.0, 1.0, 0.0),
                glide_s: clamp_finite(v.glide_s, 0.0, 2.0, 0.0),
                bend_range_st: clamp_finite(v.bend_range_st, 0.0, 24.0, 2.0),
                pressure_oct: clamp_finite(v.pressure_oct, -4.0, 4.0, 0.0),
                velocity_sens: clamp_finite(v.velocity_sens, 0.0, 1.0, 0.5),
                mod_env_pitch_st: clamp_finite(v.mod_env_pitch_st, -24.0, 24.0, 0.0),
                master_gain_db: clamp_finite(v.master_gain_db, -60.0, 6.0, -6.0),
            },
            motion: self.motion.map(|m| m.sanitized()),
        }
    }
}
