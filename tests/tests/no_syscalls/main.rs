//! The audio callback makes no system calls: the bundled plugin's `process()` runs on a thread
//! where every system call traps (a seccomp filter on that thread only, see `trap.rs`), over a
//! note storm, a parameter storm and a lane-swap storm (the main thread loading lane states),
//! with telemetry on and off. Zero trapped calls is the pass
//! mark. A self-check proves that a system call on that thread is caught.
//!
//! The thread first calls `start_processing()` and plays a few warm-up blocks unfiltered (the
//! steady state of a DAW's audio thread); a last test forbids system calls from before
//! `start_processing()` on a brand-new thread.
//!
//! nice-plug's CLAP wrapper posts a GUI task and calls the host's `request_callback()` for
//! every host parameter change it applies in `process()`; in debug builds a full task queue
//! (4,096) makes it log from the audio thread. The host here therefore serves main-thread
//! callbacks while the audio thread plays, as a DAW's event loop does.

#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

#[path = "../common/mod.rs"]
mod common;
mod storms;
mod trap;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use octolane_tests::{AudioProcessor, PluginHost, TempoMap, TimedEvent, Transport};
use storms::{BLOCK, RATE, Storm};
use trap::{TrapReport, run_forbidden};

/// Blocks played unfiltered first.
const WARM_UP: usize = 8;

/// Lane states the main thread loads during a lane-swap storm's forbidden blocks.
const LANE_LOADS: usize = 20;

/// What the forbidden thread brings back (everything it owned, so nothing is freed there).
struct Played {
    processor: AudioProcessor,
    blocks: Vec<Vec<TimedEvent>>,
    transports: Vec<Transport>,
    non_finite: usize,
    peak: f32,
}

/// Turns the persisted Performance switch on through a state load, as a project would.
/// nice-plug's CLAP state is a little-endian u64 length followed by that much JSON.
fn switch_telemetry_on(host: &mut PluginHost) {
    let json = |state: &[u8]| String::from_utf8(state[8..].to_vec()).expect("JSON state");
    let state = json(&host.save_state().unwrap());
    let off = "\"performance\":\"false\"";
    assert!(state.contains(off), "no performance field in {state}");
    let on = state.replace(off, "\"performance\":\"true\"");
    let mut bytes = (on.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(on.as_bytes());
    host.load_state(&bytes).unwrap();
    let saved = json(&host.save_state().unwrap());
    assert!(
        saved.contains("\"performance\":\"true\""),
        "switch not on: {saved}"
    );
}

/// Plays `storm` on a forbidden thread and returns what was trapped while it played.
fn play(storm: Storm, telemetry: bool, warm_up: Option<usize>) -> TrapReport {
    play_with(storm, telemetry, warm_up, false).0
}

/// A saved state whose `lanes` field holds eight lanes of 256 points (a zig-zag whose phase
/// depends on `variant`), built from `state` (nice-plug's length-prefixed JSON).
fn with_lanes(state: &[u8], variant: usize) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_slice(&state[8..]).expect("JSON state");
    let lanes: Vec<serde_json::Value> = (0..8)
        .map(|lane| {
            let points: Vec<serde_json::Value> = (0..256)
                .map(|i| {
                    let v = ((i + lane + variant) % 7) as f64 / 6.0;
                    serde_json::json!({ "b": i as f64 / 64.0, "v": v, "c": "linear" })
                })
                .collect();
            serde_json::json!({ "points": points })
        })
        .collect();
    let saved = serde_json::json!({ "lanes": lanes }).to_string();
    json["fields"]["lanes"] = serde_json::Value::String(saved);
    let text = json.to_string();
    let mut bytes = (text.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// [`play`], optionally with the main thread loading lane states (two alternating sets of
/// eight 256-point lanes) meanwhile: every load sends eight snapshots that the audio thread
/// swaps in. The audio thread paces itself on the loads (spinning on an atomic, which makes
/// no system call), so that [`LANE_LOADS`] of them land spread over its forbidden blocks
/// however fast it renders. Returns the report and the number of loads.
fn play_with(
    storm: Storm,
    telemetry: bool,
    warm_up: Option<usize>,
    lane_swaps: bool,
) -> (TrapReport, usize) {
    let mut host = common::fresh();
    if telemetry {
        switch_telemetry_on(&mut host);
    }
    let params = host.params().unwrap();
    let blocks = storms::blocks(storm, &params, warm_up.unwrap_or(0) + storm.blocks(), 11);
    let tempo = TempoMap::constant(120.0);
    let transports: Vec<Transport> = (0..blocks.len())
        .map(|b| tempo.transport_at_frame(b as u64 * u64::from(BLOCK), RATE))
        .collect();
    let lane_states = if lane_swaps {
        let state = host.save_state().unwrap();
        vec![with_lanes(&state, 0), with_lanes(&state, 3)]
    } else {
        Vec::new()
    };
    let loads = Arc::new(AtomicUsize::new(0));
    let loaded = loads.clone();
    let processor = host.activate(RATE, 1, BLOCK).unwrap();
    let (played, report) = run_forbidden(
        move |forbid| {
            let mut played = Played {
                processor,
                blocks,
                transports,
                non_finite: 0,
                peak: 0.0,
            };
            if warm_up.is_none() {
                forbid.now();
            }
            played.processor.start_processing().unwrap();
            let (first, total) = (warm_up.unwrap_or(0), played.blocks.len());
            for b in 0..total {
                if Some(b) == warm_up {
                    forbid.now();
                }
                if lane_swaps && b > first {
                    let due = (b - first) * LANE_LOADS / (total - first - 1).max(1);
                    while loaded.load(Ordering::Acquire) < due {
                        std::hint::spin_loop();
                    }
                }
                let out = played
                    .processor
                    .process(BLOCK, &played.blocks[b], Some(&played.transports[b]))
                    .expect("process");
                for s in out.left.iter().chain(out.right) {
                    if s.is_finite() {
                        played.peak = played.peak.max(s.abs());
                    } else {
                        played.non_finite += 1;
                    }
                }
            }
            played
        },
        // nice-plug posts a GUI task for every host parameter change the audio thread applies
        // and asks for a main-thread callback; serve them, as a DAW's event loop does.
        || {
            host.poll_main_thread();
            if !lane_states.is_empty() {
                let n = loads.load(Ordering::Relaxed);
                host.load_state(&lane_states[n % 2])
                    .expect("lane state loads");
                loads.store(n + 1, Ordering::Release);
            }
        },
    );
    let Played {
        mut processor,
        non_finite,
        peak,
        ..
    } = played;
    processor.stop_processing();
    host.deactivate(processor);
    assert_eq!(non_finite, 0, "non-finite output");
    assert!(peak > 1e-3, "the storm was not heard (peak {peak})");
    (report, loads.load(Ordering::Acquire))
}

fn assert_no_syscalls(storm: Storm, telemetry: bool) {
    let report = play(storm, telemetry, Some(WARM_UP));
    assert_eq!(
        report.count,
        0,
        "{storm:?} storm, telemetry {}: the audio thread made {} system calls; first: {:#?}",
        if telemetry { "on" } else { "off" },
        report.count,
        report.first
    );
}

#[test]
fn the_trap_catches_a_system_call_on_the_forbidden_thread() {
    let (returned, report) = run_forbidden(
        |forbid| {
            forbid.now();
            // SAFETY: getppid has no preconditions.
            let r = unsafe { libc::syscall(libc::SYS_getppid) };
            // The telemetry clock: served by the vDSO, so it must not trap.
            std::hint::black_box(std::time::Instant::now());
            r
        },
        || {},
    );
    assert_eq!(returned, -1, "the trapped call returned an error");
    assert_eq!(report.count, 1, "{report:#?}");
    assert_eq!(report.first[0].number, libc::SYS_getppid);
}

#[test]
fn note_storm_makes_no_system_calls_with_telemetry_off() {
    assert_no_syscalls(Storm::Notes, false);
}

#[test]
fn note_storm_makes_no_system_calls_with_telemetry_on() {
    assert_no_syscalls(Storm::Notes, true);
}

#[test]
fn parameter_storm_makes_no_system_calls_with_telemetry_off() {
    assert_no_syscalls(Storm::Params, false);
}

#[test]
fn parameter_storm_makes_no_system_calls_with_telemetry_on() {
    assert_no_syscalls(Storm::Params, true);
}

/// Nothing is initialised lazily on the audio thread either: forbidden from before
/// `start_processing()`, a brand-new thread still makes no system call.
#[test]
fn a_cold_audio_thread_makes_no_system_calls_from_start_processing_on() {
    for storm in [Storm::Notes, Storm::Params] {
        let report = play(storm, true, None);
        assert_eq!(report.count, 0, "{storm:?} on a cold thread: {report:#?}");
    }
}

#[test]
fn lane_swap_storm_makes_no_system_calls_with_telemetry_on_and_off() {
    for telemetry in [false, true] {
        let (report, loads) = play_with(Storm::Notes, telemetry, Some(WARM_UP), true);
        assert!(
            loads >= LANE_LOADS,
            "only {loads} lane states were loaded during playback"
        );
        assert_eq!(
            report.count, 0,
            "telemetry {telemetry}, {loads} loads: {report:#?}"
        );
    }
}
