//! Helpers shared by the integration tests: loading, rendering, a seeded RNG, spectra.
#![allow(dead_code)]

use octolane_tests::render::render_blocks;
use octolane_tests::{
    HostEvent, ParamInfo, PluginHost, ScheduledEvent, StereoBuffer, TempoMap, load_octolane,
    param_id_hash,
};

/// The tempo every test render runs at.
pub const TEMPO_BPM: f64 = 120.0;

/// Loads a fresh instance of the bundled plugin (fails with build instructions if missing).
pub fn fresh() -> PluginHost {
    load_octolane()
}

/// Activates `host` at `rate` for blocks of up to `block` frames, renders `frames` frames of
/// `events` with a playing transport at [`TEMPO_BPM`], then deactivates.
pub fn render_events(
    host: &mut PluginHost,
    rate: f64,
    block: u32,
    events: &[ScheduledEvent],
    frames: u64,
) -> StereoBuffer {
    let mut processor = host.activate(rate, 1, block).expect("activate");
    processor.start_processing().expect("start_processing");
    let tempo = TempoMap::constant(TEMPO_BPM);
    let mut out = StereoBuffer::default();
    render_blocks(
        &mut processor,
        events,
        frames,
        block,
        Some(&tempo),
        &mut |_, samples| {
            out.extend_from_block(samples);
            // Serve the plugin's main-thread requests between blocks, as a DAW's loop does.
            host.poll_main_thread();
            Ok(())
        },
    )
    .expect("render");
    processor.stop_processing();
    host.deactivate(processor);
    out
}

/// A note (CLAP note id = key) held from `on` to `off`.
pub fn note(key: u8, velocity: f64, on: u64, off: u64) -> [ScheduledEvent; 2] {
    let id = i32::from(key);
    [
        ScheduledEvent::new(on, HostEvent::note_on(id, key, velocity)),
        ScheduledEvent::new(off, HostEvent::note_off(id, key)),
    ]
}

/// Sorts events by frame, keeping the order of ties.
pub fn sorted(mut events: Vec<ScheduledEvent>) -> Vec<ScheduledEvent> {
    events.sort_by_key(|e| e.frame);
    events
}

/// The CLAP id of the parameter with nice-plug string id `string_id`.
pub fn pid(string_id: &str) -> u32 {
    param_id_hash(string_id)
}

/// The parameter with string id `string_id`, panicking with the list of ids if absent.
pub fn param(host: &mut PluginHost, string_id: &str) -> ParamInfo {
    let id = pid(string_id);
    let params = host.params().expect("params");
    params
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .unwrap_or_else(|| panic!("no parameter {string_id:?} (CLAP id {id})"))
}

/// A small deterministic xorshift generator, so failures reproduce.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value).
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in `0..1`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// A random value of `p`'s CLAP range (integers for stepped parameters).
pub fn random_value(p: &ParamInfo, rng: &mut Rng) -> f64 {
    let v = p.min + rng.unit() * (p.max - p.min);
    if p.flags.is_stepped() { v.round() } else { v }
}

/// Index of the first frame where two renders differ, comparing bits.
pub fn first_difference(a: &StereoBuffer, b: &StereoBuffer) -> Option<usize> {
    assert_eq!(a.len(), b.len(), "renders of different lengths");
    (0..a.len()).find(|&i| {
        a.left[i].to_bits() != b.left[i].to_bits() || a.right[i].to_bits() != b.right[i].to_bits()
    })
}

/// Energy of `signal` above `cutoff_hz` and in total, from a Hann-windowed FFT.
pub fn band_energy(signal: &[f32], rate: f64, cutoff_hz: f64) -> (f64, f64) {
    use rustfft::FftPlanner;
    use rustfft::num_complex::Complex;
    let n = signal.len();
    let mut data: Vec<Complex<f64>> = signal
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let w = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / n as f64).cos();
            Complex::new(f64::from(s) * w, 0.0)
        })
        .collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut data);
    let mut high = 0.0;
    let mut total = 0.0;
    for (k, c) in data.iter().enumerate().take(n / 2) {
        let e = c.norm_sqr();
        total += e;
        if k as f64 * rate / n as f64 >= cutoff_hz {
            high += e;
        }
    }
    (high, total)
}
