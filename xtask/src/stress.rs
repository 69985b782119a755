//! `cargo xtask stress`: how steady `process()` stays under load. A measurement, not a test:
//! it prints callback-time percentiles per scenario, the editor-storm jitter ratio, the
//! denormal-tail trend and the cost of the telemetry-off path, as Markdown for
//! docs/BENCHMARKS.md.
//!
//! Every callback is timed by `octolane_dsp`'s telemetry producer into the same
//! `TelemetryRecord` the plugin's Performance view uses.

mod bridge;
mod engine_run;
mod lanes;
mod overhead;
mod plugin_run;
mod realtime;

use crate::{bundle, system};
use anyhow::{Result, bail};
use engine_run::{EngineScenario, Notes};
use octolane_dsp::load_history::percentile;
use octolane_dsp::{Patch, TelemetryRecord};
use plugin_run::PluginScenario;

/// Callback-time percentiles of one scenario, in microseconds.
#[derive(Clone, Copy, Debug)]
struct Figures {
    blocks: usize,
    p50: f64,
    p99: f64,
    p999: f64,
    max: f64,
    /// p99.9 callback time ÷ block duration.
    p999_load: f64,
}

fn figures(records: &[TelemetryRecord]) -> Figures {
    let mut ns: Vec<u32> = records.iter().map(|r| r.duration_ns).collect();
    ns.sort_unstable();
    let us = |q: f64| f64::from(percentile(&ns, q).unwrap_or(0)) / 1_000.0;
    let budget_us = records.first().map_or(1.0, |r| r.budget_ns() / 1_000.0);
    Figures {
        blocks: ns.len(),
        p50: us(0.5),
        p99: us(0.99),
        p999: us(0.999),
        max: us(1.0),
        p999_load: us(0.999) / budget_us,
    }
}

fn row(name: &str, f: &Figures, note: &str) {
    println!(
        "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} % | {note} |",
        f.blocks,
        f.p50,
        f.p99,
        f.p999,
        f.max,
        f.p999_load * 100.0
    );
}

/// The dense-note patch: 64 voices, one lane per note.
pub(super) fn dense_patch() -> Patch {
    let mut p = Patch::default();
    p.voice.polyphony = 64;
    p.voice.unison = 1;
    p.amp_env.attack_s = 0.005;
    p
}

/// Runs every scenario. `--quick` plays a quarter of the blocks.
pub fn stress(args: &[String]) -> Result<()> {
    let quick = match args {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => bail!("usage: cargo xtask stress [--quick]"),
    };
    let blocks = if quick { 1_000 } else { 4_000 };
    system::ensure_packages(&[("cc", "build-essential")])?;
    // Build first, so no compiler runs while the scenarios are measured.
    let clap = bundle::clap_bundle(&bundle::bundle_plugin(true)?);
    println!("Octolane stress harness: 48 kHz, 128-frame blocks (2,667 µs budget), paced at the");
    println!("real-time block rate on a dedicated audio thread; times in µs per callback.");
    println!();
    println!("| scenario | blocks | p50 | p99 | p99.9 | max | p99.9 load | note |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");

    let base = EngineScenario {
        sample_rate: 48_000.0,
        block: 128,
        blocks,
        notes: Notes::Idle,
        patch: dense_patch(),
        storm: false,
        paced: true,
        lane_points: None,
    };
    let idle = engine_run::run(&base);
    let scheduling = if idle.realtime {
        "audio thread SCHED_FIFO"
    } else {
        "normal priority (SCHED_FIFO refused)"
    };
    row("engine: idle", &figures(&idle.records), scheduling);
    let notes = engine_run::run(&EngineScenario {
        notes: Notes::Dense64,
        ..base.clone()
    });
    let voices = notes.records.iter().map(|r| r.voices).max().unwrap_or(0);
    let note = format!("up to {voices} lanes sounding");
    row(
        "engine: 64 voices, dense notes",
        &figures(&notes.records),
        &note,
    );
    let with_lanes = |points: usize, storm: bool| EngineScenario {
        notes: Notes::Dense64,
        patch: lanes::enable_all(&base.patch),
        lane_points: Some(points),
        storm,
        ..base.clone()
    };
    let few = engine_run::run(&with_lanes(4, false));
    row(
        "engine: dense notes + 8 lanes × 4 points",
        &figures(&few.records),
        "",
    );
    let many = engine_run::run(&with_lanes(4_096, false));
    let many_f = figures(&many.records);
    row("engine: dense notes + 8 lanes × 4,096 points", &many_f, "");
    let storm = engine_run::run(&with_lanes(4_096, true));
    let storm_f = figures(&storm.records);
    let swaps: u64 = storm.records.iter().map(|r| u64::from(r.lane_swaps)).sum();
    let note = format!(
        "{:.0} sweeps/s × {} parameter atomics; {:.0} lane snapshots/s ({} refused), {swaps} swapped in",
        storm.storm_sweeps_per_s,
        bridge::FIELD_COUNT,
        storm.snapshots.0,
        storm.snapshots.1
    );
    row("engine: same + editor storm", &storm_f, &note);

    let plugin = PluginScenario {
        sample_rate: 48_000.0,
        block: 128,
        blocks,
        params_per_s: 0.0,
        paced: true,
    };
    let plain = figures(&plugin_run::run(&clap, &plugin)?.0);
    row("plugin (CLAP host): dense notes", &plain, "release bundle");
    let param_storm = PluginScenario {
        params_per_s: 10_000.0,
        ..plugin
    };
    let stormed = figures(&plugin_run::run(&clap, &param_storm)?.0);
    let note = "nice-plug splits the block at each";
    row(
        "plugin (CLAP host): same + 10,000 param events/s",
        &stormed,
        note,
    );

    println!();
    println!(
        "Jitter ratio p99.9(storm) ÷ p99.9(same load, no storm), target ≤ 1.2: engine {:.2}, plugin {:.2}",
        storm_f.p999 / many_f.p999,
        stormed.p999 / plain.p999
    );
    println!();
    denormal_tail(quick);
    println!();
    overhead::telemetry_off_cost(if quick { 5_000 } else { 20_000 });
    Ok(())
}

/// 64 notes at 384 kHz with maximum resonance, released into 8-second tails: the per-block
/// time over each second of the tail must not rise while the voices decay.
fn denormal_tail(quick: bool) {
    const RATE: f32 = 384_000.0;
    const BLOCK: usize = 128;
    let seconds = if quick { 4 } else { 10 };
    let hold = (0.25 * RATE) as usize / BLOCK;
    let per_second = RATE as usize / BLOCK;
    let mut patch = dense_patch();
    patch.filter.resonance = 1.0;
    patch.filter.cutoff_hz = 2_000.0;
    patch.amp_env.release_s = 8.0;
    patch.mod_env.release_s = 8.0;
    let run = engine_run::run(&EngineScenario {
        sample_rate: RATE,
        block: BLOCK,
        blocks: hold + seconds * per_second,
        notes: Notes::Tail { hold },
        patch,
        storm: false,
        paced: false,
        lane_points: None,
    });
    println!("Denormal storm: 64 notes at 384 kHz, resonance 100 %, 8 s release, back-to-back");
    println!("128-frame blocks (333 µs budget); median callback time per second of the tail:");
    println!();
    println!("| tail second | voices at end | median µs | p99 µs |");
    println!("|---:|---:|---:|---:|");
    let tail = &run.records[hold..];
    let mut medians = Vec::new();
    for (s, second) in tail.chunks(per_second).enumerate() {
        let mut ns: Vec<u32> = second.iter().map(|r| r.duration_ns).collect();
        ns.sort_unstable();
        let median = f64::from(percentile(&ns, 0.5).unwrap_or(0)) / 1_000.0;
        let p99 = f64::from(percentile(&ns, 0.99).unwrap_or(0)) / 1_000.0;
        let voices = second.last().map_or(0, |r| r.voices);
        println!("| {} | {voices} | {median:.1} | {p99:.1} |", s + 1);
        medians.push(median);
    }
    let first = medians.first().copied().unwrap_or(0.0);
    let highest = medians.iter().copied().fold(0.0, f64::max);
    println!();
    println!(
        "Highest per-second median ÷ first second's: {:.2} (≤ 1.0 plus noise: the load does not rise)",
        highest / first.max(1e-9)
    );
}
