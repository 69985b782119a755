//! The SIMD engine as the plugin runs it: eight voices per register, on AVX2 where the CPU
//! has it and on the build's own `f32x8` (SSE2 in a portable x86-64 build) elsewhere. The
//! path is chosen once, when the engine is made, and both render the same samples: the AVX2
//! lanes do in one instruction what `f32x8` does in two halves, with the same roundings
//! (see `lanes::avx`).

use crate::engine::Engine;
use crate::event::{Event, Transport};
#[cfg(target_arch = "x86_64")]
use crate::lanes::Avx8;
use crate::motion::{LaneBank, SnapshotReceiver};
use crate::patch::Patch;
use crate::synth::Synth;

/// The instruction set an engine's voices run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdPath {
    /// `wide::f32x8` as the build compiled it: two SSE2 halves in a portable x86-64 build,
    /// one AVX register in an `x86-64-v3` build.
    Portable,
    /// One AVX register per eight voices, chosen at run time (x86-64 CPUs with AVX2).
    Avx2,
}

impl SimdPath {
    /// The fastest path this CPU runs. A build that targets AVX2 itself (`x86-64-v3`) has
    /// it in its `f32x8` already, fused multiply-adds included, and stays on that.
    pub fn detect() -> Self {
        if !cfg!(target_feature = "avx2") && Self::Avx2.available() {
            Self::Avx2
        } else {
            Self::Portable
        }
    }

    /// Whether this CPU runs the path.
    pub fn available(self) -> bool {
        match self {
            Self::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Self::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            Self::Avx2 => false,
        }
    }

    /// A short name for logs and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Portable if cfg!(target_feature = "avx") => "f32x8 (AVX, compiled in)",
            Self::Portable => "f32x8 (portable)",
            Self::Avx2 => "AVX2 (run-time choice)",
        }
    }
}

/// The engine of one path.
enum PathEngine {
    Portable(Engine<wide::f32x8>),
    #[cfg(target_arch = "x86_64")]
    Avx2(Engine<Avx8>),
}

/// The SIMD engine: eight voices per register, on the fastest path the CPU runs.
pub struct SimdEngine {
    engine: PathEngine,
}

/// Run `$body` with `$engine` bound to the engine of whichever path `$which` holds.
macro_rules! on_path {
    ($which:expr, $engine:ident => $body:expr) => {
        match $which {
            PathEngine::Portable($engine) => $body,
            #[cfg(target_arch = "x86_64")]
            PathEngine::Avx2($engine) => $body,
        }
    };
}

impl SimdEngine {
    /// An engine on `path`, or `None` if this CPU does not run it.
    pub fn on_path(sample_rate: f32, path: SimdPath) -> Option<Self> {
        let engine = match path {
            SimdPath::Portable => PathEngine::Portable(Engine::new(sample_rate)),
            // The AVX2 lanes are valid only on a CPU that has AVX2 (see `lanes::avx`).
            #[cfg(target_arch = "x86_64")]
            SimdPath::Avx2 if path.available() => PathEngine::Avx2(Engine::new(sample_rate)),
            SimdPath::Avx2 => return None,
        };
        Some(Self { engine })
    }

    /// The path this engine's voices run on.
    pub fn path(&self) -> SimdPath {
        match self.engine {
            PathEngine::Portable(_) => SimdPath::Portable,
            #[cfg(target_arch = "x86_64")]
            PathEngine::Avx2(_) => SimdPath::Avx2,
        }
    }
}

impl Synth for SimdEngine {
    fn new(sample_rate: f32) -> Self {
        let path = SimdPath::detect();
        Self::on_path(sample_rate, path).unwrap_or_else(|| Self {
            engine: PathEngine::Portable(Engine::new(sample_rate)),
        })
    }
    fn prepare(&mut self, sample_rate: f32) {
        on_path!(&mut self.engine, e => e.prepare(sample_rate))
    }
    fn reset(&mut self) {
        on_path!(&mut self.engine, e => e.reset())
    }
    fn set_patch(&mut self, patch: &Patch) {
        on_path!(&mut self.engine, e => e.set_patch(patch))
    }
    fn set_transport(&mut self, transport: &Transport) {
        on_path!(&mut self.engine, e => e.set_transport(transport))
    }
    fn set_lane_receiver(&mut self, receiver: SnapshotReceiver) -> Option<SnapshotReceiver> {
        on_path!(&mut self.engine, e => e.set_lane_receiver(receiver))
    }
    fn motion(&self) -> &LaneBank {
        on_path!(&self.engine, e => e.motion())
    }
    fn motion_mut(&mut self) -> &mut LaneBank {
        on_path!(&mut self.engine, e => e.motion_mut())
    }
    fn active_voices(&self) -> usize {
        on_path!(&self.engine, e => e.active_voices())
    }
    fn non_finite_samples(&self) -> u64 {
        on_path!(&self.engine, e => e.non_finite_samples())
    }
    fn process(&mut self, events: &[Event], left: &mut [f32], right: &mut [f32]) {
        on_path!(&mut self.engine, e => e.process(events, left, right))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_takes_the_fastest_path_the_cpu_runs() {
        let avx2 = SimdPath::Avx2.available();
        #[cfg(target_arch = "x86_64")]
        assert_eq!(avx2, std::arch::is_x86_feature_detected!("avx2"));
        let want = if avx2 && !cfg!(target_feature = "avx2") {
            SimdPath::Avx2
        } else {
            SimdPath::Portable
        };
        assert_eq!(SimdPath::detect(), want);
        assert_eq!(SimdEngine::new(48_000.0).path(), want);
        // Re-preparing keeps the path; a path the CPU lacks is refused, never faked.
        let mut engine = SimdEngine::new(48_000.0);
        engine.prepare(96_000.0);
        assert_eq!(engine.path(), want);
        let made = SimdEngine::on_path(48_000.0, SimdPath::Avx2).map(|e| e.path());
        assert_eq!(made, avx2.then_some(SimdPath::Avx2));
        let portable = SimdEngine::on_path(48_000.0, SimdPath::Portable).map(|e| e.path());
        assert_eq!(portable, Some(SimdPath::Portable));
    }
}
