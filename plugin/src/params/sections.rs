//! The parameter groups, one struct per editor section (and host parameter group).
//!
//! Ranges and defaults come from `octolane_dsp::Patch`'s documented ranges and
//! `Patch::default()`. No parameter has a nice-plug smoother: the engine ramps values itself.

use super::build::{amount, float, int, linear, octaves, semitones, skewed};
use super::choices::{Division, FilterChoice, LfoShape, OscWave};
use super::format;
use nice_plug::prelude::*;
use octolane_dsp::{EnvPatch, OscPatch, Patch};

/// One oscillator: ids `wave`, `pw`, `octave`, `semi`, `fine`, `level`, prefixed `oscN_`.
#[derive(Params)]
pub struct OscParams {
    /// Waveform.
    #[id = "wave"]
    pub wave: EnumParam<OscWave>,
    /// Pulse width (pulse wave only), 5…95 %.
    #[id = "pw"]
    pub pulse_width: FloatParam,
    /// Octave offset, −3…+3.
    #[id = "octave"]
    pub octave: IntParam,
    /// Semitone offset, −12…+12.
    #[id = "semi"]
    pub semitones: IntParam,
    /// Fine tune in cents, −100…+100.
    #[id = "fine"]
    pub fine: FloatParam,
    /// Output level, 0…100 %.
    #[id = "level"]
    pub level: FloatParam,
}

impl OscParams {
    /// Oscillator `number` (1 or 2) with the given defaults.
    pub fn new(number: u8, d: &OscPatch) -> Self {
        let name = |what: &str| format!("Osc {number} {what}");
        Self {
            wave: EnumParam::new(name("Wave"), OscWave::from(d.wave)),
            pulse_width: float(
                name("Pulse Width"),
                d.pulse_width,
                linear(0.05, 0.95),
                format::percent(),
            ),
            octave: int(
                name("Octave"),
                d.octave,
                (-3, 3),
                format::signed_int("oct", &["octave", "octaves", "o"]),
            ),
            semitones: int(
                name("Semitones"),
                d.semitones,
                (-12, 12),
                format::signed_int("st", &["semi", "semitones"]),
            ),
            fine: float(
                name("Fine"),
                d.fine_cents,
                linear(-100.0, 100.0),
                format::number(0, true, "ct", &["c", "cent", "cents"]),
            ),
            level: amount(name("Level"), d.level),
        }
    }
}

/// The Oscillators group: both oscillators and the noise source.
#[derive(Params)]
pub struct OscillatorParams {
    /// Oscillator 1 (`osc1_*`).
    #[nested(id_prefix = "osc1")]
    pub osc1: OscParams,
    /// Oscillator 2 (`osc2_*`).
    #[nested(id_prefix = "osc2")]
    pub osc2: OscParams,
    /// White-noise level, 0…100 %.
    #[id = "noise_level"]
    pub noise_level: FloatParam,
}

impl OscillatorParams {
    /// The group with `d`'s values as defaults.
    pub fn new(d: &Patch) -> Self {
        Self {
            osc1: OscParams::new(1, &d.osc1),
            osc2: OscParams::new(2, &d.osc2),
            noise_level: amount("Noise Level", d.noise_level),
        }
    }
}

/// The Filter group.
#[derive(Params)]
pub struct FilterParams {
    /// Response.
    #[id = "filter_mode"]
    pub mode: EnumParam<FilterChoice>,
    /// Cutoff, 20 Hz…20 kHz, skewed towards the low end.
    #[id = "cutoff"]
    pub cutoff: FloatParam,
    /// Resonance, 0…100 %.
    #[id = "resonance"]
    pub resonance: FloatParam,
    /// Key tracking, 0…100 %.
    #[id = "key_track"]
    pub key_track: FloatParam,
    /// Mod-envelope amount, −8…+8 octaves.
    #[id = "filter_env"]
    pub env_amount: FloatParam,
    /// Velocity → cutoff, −4…+4 octaves.
    #[id = "filter_vel"]
    pub velocity: FloatParam,
    /// Drive, 0…100 %.
    #[id = "drive"]
    pub drive: FloatParam,
}

impl FilterParams {
    /// The group with `d`'s values as defaults.
    pub fn new(d: &Patch) -> Self {
        let f = &d.filter;
        Self {
            mode: EnumParam::new("Filter Mode", FilterChoice::from(f.mode)),
            cutoff: float(
                "Cutoff",
                f.cutoff_hz,
                skewed(20.0, 20_000.0, -2.0),
                format::frequency(),
            ),
            resonance: amount("Resonance", f.resonance),
            key_track: amount("Key Track", f.key_track),
            env_amount: float(
                "Filter Env Amount",
                f.env_amount_oct,
                linear(-8.0, 8.0),
                octaves(),
            ),
            velocity: float(
                "Filter Velocity",
                f.velocity_oct,
                linear(-4.0, 4.0),
                octaves(),
            ),
            drive: amount("Drive", f.drive),
        }
    }
}

/// One ADSR: ids `attack`, `decay`, `sustain`, `release`, prefixed `amp_` or `mod_`.
#[derive(Params)]
pub struct EnvParams {
    /// Attack, 0.5 ms…10 s.
    #[id = "attack"]
    pub attack: FloatParam,
    /// Decay, 1 ms…10 s.
    #[id = "decay"]
    pub decay: FloatParam,
    /// Sustain level, 0…100 %.
    #[id = "sustain"]
    pub sustain: FloatParam,
    /// Release, 1 ms…20 s.
    #[id = "release"]
    pub release: FloatParam,
}

impl EnvParams {
    /// An envelope whose parameter names start with `label` ("Amp", "Mod").
    pub fn new(label: &str, d: &EnvPatch) -> Self {
        let name = |what: &str| format!("{label} {what}");
        Self {
            attack: float(
                name("Attack"),
                d.attack_s,
                skewed(0.0005, 10.0, -2.0),
                format::seconds(),
            ),
            decay: float(
                name("Decay"),
                d.decay_s,
                skewed(0.001, 10.0, -2.0),
                format::seconds(),
            ),
            sustain: amount(name("Sustain"), d.sustain),
            release: float(
                name("Release"),
                d.release_s,
                skewed(0.001, 20.0, -2.0),
                format::seconds(),
            ),
        }
    }
}

/// The Envelopes group: amp and mod envelopes, and the mod envelope's pitch amount.
#[derive(Params)]
pub struct EnvelopeParams {
    /// Amplitude envelope (`amp_*`).
    #[nested(id_prefix = "amp")]
    pub amp: EnvParams,
    /// Modulation envelope (`mod_*`), routed to cutoff by `filter_env` and to pitch below.
    #[nested(id_prefix = "mod")]
    pub modulation: EnvParams,
    /// Mod envelope → pitch, −24…+24 semitones.
    #[id = "mod_env_pitch"]
    pub mod_env_pitch: FloatParam,
}

impl EnvelopeParams {
    /// The group with `d`'s values as defaults.
    pub fn new(d: &Patch) -> Self {
        Self {
            amp: EnvParams::new("Amp", &d.amp_env),
            modulation: EnvParams::new("Mod", &d.mod_env),
            mod_env_pitch: float(
                "Mod Env to Pitch",
                d.voice.mod_env_pitch_st,
                linear(-24.0, 24.0),
                semitones(1, true),
            ),
        }
    }
}

/// The LFO group.
#[derive(Params)]
pub struct LfoParams {
    /// Waveform.
    #[id = "lfo_wave"]
    pub wave: EnumParam<LfoShape>,
    /// Free-running rate, 0.01…50 Hz.
    #[id = "lfo_rate"]
    pub rate: FloatParam,
    /// Follow the host tempo instead of the rate.
    #[id = "lfo_sync"]
    pub sync: BoolParam,
    /// Tempo-synced cycle length.
    #[id = "lfo_division"]
    pub division: EnumParam<Division>,
    /// Restart the cycle on every note.
    #[id = "lfo_retrigger"]
    pub retrigger: BoolParam,
    /// Depth to pitch, 0…2 semitones (scaled by the mod wheel).
    #[id = "lfo_pitch"]
    pub to_pitch: FloatParam,
    /// Depth to cutoff, −4…+4 octaves.
    #[id = "lfo_cutoff"]
    pub to_cutoff: FloatParam,
    /// Depth to amplitude, 0…100 %.
    #[id = "lfo_amp"]
    pub to_amp: FloatParam,
    /// Depth to pan, 0…100 %.
    #[id = "lfo_pan"]
    pub to_pan: FloatParam,
}

impl LfoParams {
    /// The group with `d`'s values as defaults.
    pub fn new(d: &Patch) -> Self {
        let l = &d.lfo;
        Self {
            wave: EnumParam::new("LFO Wave", LfoShape::from(l.wave)),
            rate: float(
                "LFO Rate",
                l.rate_hz,
                skewed(0.01, 50.0, -2.0),
                format::frequency(),
            ),
            sync: BoolParam::new("LFO Tempo Sync", l.sync),
            division: EnumParam::new("LFO Division", Division::from(l.division)),
            retrigger: BoolParam::new("LFO Retrigger", l.retrigger),
            to_pitch: float(
                "LFO to Pitch",
                l.to_pitch_st,
                linear(0.0, 2.0),
                semitones(2, false),
            ),
            to_cutoff: float(
                "LFO to Cutoff",
                l.to_cutoff_oct,
                linear(-4.0, 4.0),
                octaves(),
            ),
            to_amp: amount("LFO to Amp", l.to_amp),
            to_pan: amount("LFO to Pan", l.to_pan),
        }
    }
}

/// The Voice group: allocation, unison and performance controls.
#[derive(Params)]
pub struct VoiceParams {
    /// Maximum sounding lanes, 1…`MAX_VOICES`; 1 plays mono/legato.
    #[id = "polyphony"]
    pub polyphony: IntParam,
    /// Lanes per note, 1…8.
    #[id = "unison"]
    pub unison: IntParam,
    /// Unison detune spread, 0…100 cents.
    #[id = "unison_detune"]
    pub unison_detune: FloatParam,
    /// Unison stereo width, 0…100 %.
    #[id = "unison_width"]
    pub unison_width: FloatParam,
    /// Glide time, 0…2 s.
    #[id = "glide"]
    pub glide: FloatParam,
    /// Pitch-bend range, 0…24 semitones in whole steps.
    #[id = "bend_range"]
    pub bend_range: FloatParam,
    /// Channel pressure → cutoff, −4…+4 octaves.
    #[id = "pressure_cutoff"]
    pub pressure_cutoff: FloatParam,
    /// Amp velocity sensitivity, 0…100 %.
    #[id = "velocity_sens"]
    pub velocity_sens: FloatParam,
}

impl VoiceParams {
    /// The group with `d`'s values as defaults.
    pub fn new(d: &Patch) -> Self {
        let v = &d.voice;
        let max_voices = i32::try_from(octolane_dsp::MAX_VOICES).unwrap_or(i32::MAX);
        Self {
            polyphony: int(
                "Polyphony",
                v.polyphony as i32,
                (1, max_voices),
                format::voice_count("Mono"),
            ),
            unison: int(
                "Unison",
                v.unison as i32,
                (1, 8),
                format::voice_count("Off"),
            ),
            unison_detune: float(
                "Unison Detune",
                v.unison_detune_cents,
                skewed(0.0, 100.0, -1.0),
                format::number(1, false, "ct", &["c", "cent", "cents"]),
            ),
            unison_width: amount("Unison Width", v.unison_width),
            glide: float(
                "Glide",
                v.glide_s,
                skewed(0.0, 2.0, -1.5),
                format::seconds(),
            ),
            bend_range: float(
                "Bend Range",
                v.bend_range_st,
                linear(0.0, 24.0),
                semitones(0, false),
            )
            .with_step_size(1.0),
            pressure_cutoff: float(
                "Pressure to Cutoff",
                v.pressure_oct,
                linear(-4.0, 4.0),
                octaves(),
            ),
            velocity_sens: amount("Velocity Sensitivity", v.velocity_sens),
        }
    }
}

/// The Output group.
#[derive(Params)]
pub struct OutputParams {
    /// Master gain, −60…+6 dB.
    #[id = "gain"]
    pub gain: FloatParam,
}

impl OutputParams {
    /// The group with `d`'s values as defaults.
    pub fn new(d: &Patch) -> Self {
        Self {
            gain: float(
                "Gain",
                d.voice.master_gain_db,
                linear(-60.0, 6.0),
                format::decibels(),
            ),
        }
    }
}
