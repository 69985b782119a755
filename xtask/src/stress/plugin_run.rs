//! The bundled plugin through the offline CLAP host: dense notes with or without 10,000
//! parameter events a second, each host `process()` call timed into a `TelemetryRecord`.

use anyhow::{Context, Result, anyhow};
use octolane_dsp::clock::MonotonicClock;
use octolane_dsp::telemetry::telemetry_ring;
use octolane_dsp::{BlockFigures, TelemetryRecord};
use octolane_tests::{HostEvent, PluginHost, TempoMap, TimedEvent, param_id_hash};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

/// One plugin scenario.
#[derive(Clone, Copy, Debug)]
pub struct PluginScenario {
    /// Sample rate.
    pub sample_rate: f64,
    /// Frames per block.
    pub block: u32,
    /// Blocks.
    pub blocks: usize,
    /// Parameter events per second (spread over every parameter, random offsets).
    pub params_per_s: f64,
    /// Callbacks at the real-time block rate (else back to back).
    pub paced: bool,
}

/// Dense notes (four on, four off per block, ~64 held) plus the parameter events.
fn schedule(
    s: &PluginScenario,
    params: &[octolane_tests::ParamInfo],
    fixed: &[u32],
) -> Vec<Vec<TimedEvent>> {
    let key = |n: usize| 24 + (n * 5 % 84) as u8;
    let per_block = s.params_per_s * f64::from(s.block) / s.sample_rate;
    let mut debt = 0.0;
    let mut next = 0usize;
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..s.blocks)
        .map(|b| {
            let mut events = Vec::with_capacity(64);
            for i in 0..4 {
                let offset = i * s.block / 4;
                let n = b * 4 + i as usize;
                if b >= 16 {
                    let old = n - 64;
                    events.push(TimedEvent::new(
                        offset,
                        HostEvent::note_off(old as i32, key(old)),
                    ));
                }
                events.push(TimedEvent::new(
                    offset,
                    HostEvent::note_on(n as i32, key(n), 0.8),
                ));
            }
            debt += per_block;
            while debt >= 1.0 {
                debt -= 1.0;
                let p = &params[next % params.len()];
                next += 1;
                let unit = (random() >> 11) as f64 / (1u64 << 53) as f64;
                let mut value = if fixed.contains(&p.id) {
                    p.default
                } else {
                    p.min + unit * (p.max - p.min)
                };
                if p.flags.is_stepped() {
                    value = value.round();
                }
                let offset = (random() % u64::from(s.block)) as u32;
                events.push(TimedEvent::new(offset, HostEvent::param(p.id, value)));
            }
            events.sort_by_key(|e| e.offset);
            events
        })
        .collect()
}

/// Runs `s` on the plugin at `clap` and returns one record per host `process()` call.
/// Also says whether the audio thread ran under `SCHED_FIFO`.
pub fn run(clap: &Path, s: &PluginScenario) -> Result<(Vec<TelemetryRecord>, bool)> {
    let mut host = PluginHost::load(clap, octolane_tests::PLUGIN_ID)
        .map_err(|e| anyhow!("loading {}: {e}", clap.display()))?;
    let params = host.params().map_err(|e| anyhow!("{e}"))?;
    // Polyphony, unison and polyphony-like switches keep their values, so the voice count
    // (and with it the work) is the same with and without the storm.
    let fixed = ["polyphony", "unison"].map(param_id_hash);
    let blocks = schedule(s, &params, &fixed);
    let tempo = TempoMap::constant(120.0);
    let mut processor = host
        .activate(s.sample_rate, 1, s.block)
        .map_err(|e| anyhow!("{e}"))?;
    let (mut producer, mut consumer) = telemetry_ring(s.blocks + 1, MonotonicClock::new());
    let s = *s;
    let (processor, failure, realtime) = thread::Builder::new()
        .name("stress-host-audio".into())
        .spawn(move || {
            let mut failure = None;
            let realtime = super::realtime::try_realtime();
            if let Err(e) = processor.start_processing() {
                return (processor, Some(e.to_string()), realtime);
            }
            let period = Duration::from_secs_f64(f64::from(s.block) / s.sample_rate);
            let start = Instant::now();
            for (b, events) in blocks.iter().enumerate() {
                let transport =
                    tempo.transport_at_frame(b as u64 * u64::from(s.block), s.sample_rate);
                if s.paced {
                    let due = start + period * b as u32;
                    let now = Instant::now();
                    if due > now {
                        thread::sleep(due - now);
                    }
                }
                let timing = producer.start(true);
                if let Err(e) = processor.process(s.block, events, Some(&transport)) {
                    failure = Some(format!("block {b}: {e}"));
                    break;
                }
                let figures = BlockFigures {
                    frames: s.block,
                    sample_rate_hz: s.sample_rate as f32,
                    voices: 0,
                    events: events.len() as u32,
                    lane_swaps: 0,
                };
                producer.finish(timing, figures);
            }
            processor.stop_processing();
            (processor, failure, realtime)
        })
        .context("spawn the host audio thread")?
        .join()
        .map_err(|_| anyhow!("the host audio thread panicked"))?;
    host.deactivate(processor);
    if let Some(failure) = failure {
        return Err(anyhow!("plugin scenario failed: {failure}"));
    }
    let records = std::iter::from_fn(|| consumer.pop().ok()).collect();
    Ok((records, realtime))
}
