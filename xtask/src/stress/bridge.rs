//! The harness's GUI → audio parameter bridge: one atomic per `Patch` field, as the plugin has
//! one nice-plug atomic per parameter. A writer (the "editor") stores single fields from any
//! thread; the audio thread reads every atomic once per callback into a plain `Patch`.

use octolane_dsp::{FilterMode, LfoWave, Patch, SyncDivision, Waveform};
use std::sync::atomic::{AtomicU32, Ordering};

/// A `Patch` field's value as an `f32` (enums by index, booleans as 0/1).
trait AsF32: Sized {
    fn to_f32(self) -> f32;
    fn from_f32(v: f32) -> Self;
}

impl AsF32 for f32 {
    fn to_f32(self) -> f32 {
        self
    }
    fn from_f32(v: f32) -> Self {
        v
    }
}

impl AsF32 for i32 {
    fn to_f32(self) -> f32 {
        self as f32
    }
    fn from_f32(v: f32) -> Self {
        v.round() as i32
    }
}

impl AsF32 for u32 {
    fn to_f32(self) -> f32 {
        self as f32
    }
    fn from_f32(v: f32) -> Self {
        v.round().max(0.0) as u32
    }
}

impl AsF32 for bool {
    fn to_f32(self) -> f32 {
        if self { 1.0 } else { 0.0 }
    }
    fn from_f32(v: f32) -> Self {
        v >= 0.5
    }
}

macro_rules! enum_as_f32 {
    ($ty:ty, [$($v:expr),+ $(,)?]) => {
        impl AsF32 for $ty {
            fn to_f32(self) -> f32 {
                const ALL: &[$ty] = &[$($v),+];
                ALL.iter().position(|x| *x == self).unwrap_or(0) as f32
            }
            fn from_f32(v: f32) -> Self {
                const ALL: &[$ty] = &[$($v),+];
                ALL[(v.round().max(0.0) as usize).min(ALL.len() - 1)]
            }
        }
    };
}

enum_as_f32!(
    Waveform,
    [
        Waveform::Sine,
        Waveform::Triangle,
        Waveform::Saw,
        Waveform::Pulse
    ]
);
enum_as_f32!(
    FilterMode,
    [
        FilterMode::Lp12,
        FilterMode::Lp24,
        FilterMode::Bp,
        FilterMode::Hp,
        FilterMode::Notch
    ]
);
enum_as_f32!(
    LfoWave,
    [
        LfoWave::Sine,
        LfoWave::Triangle,
        LfoWave::Saw,
        LfoWave::Square,
        LfoWave::SampleHold
    ]
);

impl AsF32 for SyncDivision {
    fn to_f32(self) -> f32 {
        SyncDivision::ALL
            .iter()
            .position(|x| *x == self)
            .unwrap_or(6) as f32
    }
    fn from_f32(v: f32) -> Self {
        SyncDivision::ALL[(v.round().max(0.0) as usize).min(SyncDivision::ALL.len() - 1)]
    }
}

macro_rules! patch_fields {
    ($($($path:ident).+),* $(,)?) => {
        /// Parameters the bridge carries (every sound parameter of a `Patch`).
        pub const FIELD_COUNT: usize = [$(stringify!($($path).+)),*].len();

        /// Every field of `p`, in bridge order.
        pub fn values(p: &Patch) -> [f32; FIELD_COUNT] {
            [$(p.$($path).+.to_f32()),*]
        }

        /// `base` with every bridged field taken from `v`.
        pub fn patch_from(base: &Patch, v: &[f32; FIELD_COUNT]) -> Patch {
            let mut p = *base;
            let mut i = 0;
            $(
                p.$($path).+ = AsF32::from_f32(v[i]);
                i += 1;
            )*
            debug_assert_eq!(i, FIELD_COUNT);
            p
        }
    };
}

patch_fields!(
    osc1.wave,
    osc1.pulse_width,
    osc1.octave,
    osc1.semitones,
    osc1.fine_cents,
    osc1.level,
    osc2.wave,
    osc2.pulse_width,
    osc2.octave,
    osc2.semitones,
    osc2.fine_cents,
    osc2.level,
    noise_level,
    filter.mode,
    filter.cutoff_hz,
    filter.resonance,
    filter.key_track,
    filter.env_amount_oct,
    filter.velocity_oct,
    filter.drive,
    amp_env.attack_s,
    amp_env.decay_s,
    amp_env.sustain,
    amp_env.release_s,
    mod_env.attack_s,
    mod_env.decay_s,
    mod_env.sustain,
    mod_env.release_s,
    lfo.wave,
    lfo.rate_hz,
    lfo.sync,
    lfo.division,
    lfo.retrigger,
    lfo.to_pitch_st,
    lfo.to_cutoff_oct,
    lfo.to_amp,
    lfo.to_pan,
    voice.polyphony,
    voice.unison,
    voice.unison_detune_cents,
    voice.unison_width,
    voice.glide_s,
    voice.bend_range_st,
    voice.pressure_oct,
    voice.velocity_sens,
    voice.mod_env_pitch_st,
    voice.master_gain_db,
);

/// One atomic per parameter: single writer per value, read once per callback.
pub struct ParamAtomics {
    base: Patch,
    values: [AtomicU32; FIELD_COUNT],
}

impl ParamAtomics {
    /// Atomics holding `patch`. Fields the bridge does not carry keep `patch`'s values.
    pub fn new(patch: &Patch) -> Self {
        Self {
            base: *patch,
            values: values(patch).map(|v| AtomicU32::new(v.to_bits())),
        }
    }

    /// Stores parameter `index` (any thread). Wait-free.
    pub fn store(&self, index: usize, value: f32) {
        if let Some(a) = self.values.get(index) {
            a.store(value.to_bits(), Ordering::Release);
        }
    }

    /// Stores every field of `patch`, one atomic at a time, as a host flushing a preset would.
    #[cfg(test)]
    pub fn store_patch(&self, patch: &Patch) {
        for (i, v) in values(patch).into_iter().enumerate() {
            self.store(i, v);
        }
    }

    /// Reads every atomic once into a `Patch` (audio thread). Wait-free, allocation-free.
    pub fn patch(&self) -> Patch {
        let v: [f32; FIELD_COUNT] =
            std::array::from_fn(|i| f32::from_bits(self.values[i].load(Ordering::Acquire)));
        patch_from(&self.base, &v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_through_the_atomics() {
        let mut p = Patch::default();
        p.osc1.wave = Waveform::Pulse;
        p.filter.mode = FilterMode::Notch;
        p.lfo.wave = LfoWave::SampleHold;
        p.lfo.division = SyncDivision::EighthTriplet;
        p.lfo.sync = true;
        p.voice.polyphony = 64;
        p.osc2.semitones = -7;
        p.voice.master_gain_db = -12.5;
        let atomics = ParamAtomics::new(&Patch::default());
        atomics.store_patch(&p);
        assert_eq!(atomics.patch(), p);
        assert_eq!(patch_from(&Patch::default(), &values(&p)), p);
    }
}

#[cfg(test)]
mod in_effect {
    use super::*;
    use octolane_dsp::{Event, EventKind, SimdEngine, Synth};
    use std::sync::Arc;
    use std::sync::atomic::AtomicU8;

    const BLOCK: usize = 256;
    const BLOCKS: usize = 20;
    const CHANGE_AT: usize = 10;

    fn chord() -> Vec<Event> {
        [48u8, 55, 60, 64]
            .iter()
            .map(|&key| Event {
                offset: 0,
                kind: EventKind::NoteOn {
                    key,
                    velocity: 0.9,
                    channel: 0,
                    note_id: None,
                },
            })
            .collect()
    }

    fn changed() -> Patch {
        let mut p = Patch::default();
        p.osc1.wave = Waveform::Pulse;
        p.osc1.pulse_width = 0.2;
        p.filter.mode = FilterMode::Hp;
        p.voice.master_gain_db = -30.0;
        p
    }

    /// Renders with `before` until block `CHANGE_AT`, then with `apply` giving the patch.
    fn render(mut patch_for: impl FnMut(usize) -> Patch) -> Vec<f32> {
        let mut engine = SimdEngine::new(48_000.0);
        let mut out = Vec::new();
        let (mut l, mut r) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        for b in 0..BLOCKS {
            engine.set_patch(&patch_for(b));
            let events = if b == 0 { chord() } else { Vec::new() };
            engine.process(&events, &mut l, &mut r);
            out.extend_from_slice(&l);
        }
        out
    }

    #[test]
    fn a_parameter_written_before_a_callback_is_in_effect_within_that_callback() {
        let atomics = Arc::new(ParamAtomics::new(&Patch::default()));
        // 0: nothing asked, 1: the audio thread asks for a write, 2: written.
        let step = Arc::new(AtomicU8::new(0));
        let writer = {
            let (atomics, step) = (atomics.clone(), step.clone());
            std::thread::spawn(move || {
                while step.load(Ordering::Acquire) != 1 {
                    std::hint::spin_loop();
                }
                atomics.store_patch(&changed());
                step.store(2, Ordering::Release);
            })
        };
        let bridged = render(|b| {
            if b == CHANGE_AT {
                step.store(1, Ordering::Release);
                while step.load(Ordering::Acquire) != 2 {
                    std::hint::spin_loop();
                }
            }
            atomics.patch()
        });
        writer.join().unwrap();
        let direct = render(|b| {
            if b < CHANGE_AT {
                Patch::default()
            } else {
                changed()
            }
        });
        let unchanged = render(|_| Patch::default());
        let block = |v: &[f32], b: usize| v[b * BLOCK..(b + 1) * BLOCK].to_vec();
        assert_eq!(
            bridged, direct,
            "the bridged write equals a write made in that block"
        );
        assert_eq!(
            block(&bridged, CHANGE_AT - 1),
            block(&unchanged, CHANGE_AT - 1)
        );
        assert_ne!(
            block(&bridged, CHANGE_AT),
            block(&unchanged, CHANGE_AT),
            "the change is heard within the callback that followed the write"
        );
    }
}
