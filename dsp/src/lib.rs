//! Octolane's realtime core: a polyphonic synth engine that runs eight voices per SIMD
//! register, plus its scalar reference. Knows nothing of plugins, hosts or GUIs.
//!
//! Everything reachable from [`Synth::process`] is allocation-free, lock-free and makes no
//! system calls.

pub mod blep;
pub mod clock;
pub mod control;
pub mod denormals;
pub mod engine;
pub mod event;
pub mod globals;
pub mod kernel;
pub mod lane_sum;
pub mod lanes;
pub mod limiter;
pub mod load_history;
pub mod math;
pub mod motion;
pub mod noise;
pub mod oscillator;
pub mod patch;
pub mod render;
pub mod simd_engine;
pub mod svf;
pub mod synth;
pub mod telemetry;
pub mod voice_alloc;
pub mod voice_group;

pub use engine::Engine;
pub use event::{Event, EventKind, Transport};
pub use patch::*;
pub use simd_engine::{SimdEngine, SimdPath};
pub use synth::Synth;
pub use telemetry::{BlockFigures, TelemetryProducer, TelemetryRecord};

/// Most lanes (voices) the polyphony parameter can ask for.
pub const MAX_VOICES: usize = 1024;

/// The scalar reference: the same voice, one `f32` at a time.
pub type ScalarEngine = Engine<f32>;
