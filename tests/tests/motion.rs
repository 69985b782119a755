//! Motion lanes through the bundled plugin: a cutoff lane sweeps in time with the transport, a
//! host loop wraps it at the loop point, lane points survive a state round trip bit for bit,
//! and a state with broken lanes loads repaired (or refused) while the plugin keeps playing.

mod common;

use common::{note, pid, sorted};
use octolane_tests::{PluginHost, ScheduledEvent, StereoBuffer, TimedEvent, Transport};
use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

const RATE: f64 = 48_000.0;
const BLOCK: u32 = 256;
const TEMPO: f64 = 120.0;
/// Samples per beat at 120 BPM.
const BEAT: f64 = RATE * 60.0 / TEMPO;

/// A dark, steady patch with lane 1 on the cutoff at full depth, one bar long, in `sync` mode
/// (0 Transport, 1 Free). The default lane curve is a triangle: 0 at beat 0, 1 at beat 2.
fn setup(host: &mut PluginHost, sync: f64) {
    // Continuous values go through the plugin's own text parser (CLAP values are normalized).
    let texts = [
        ("cutoff", "150 Hz"),
        ("filter_env", "0 oct"),
        ("filter_vel", "0 oct"),
        ("lfo_cutoff", "0 oct"),
        ("key_track", "0 %"),
        ("amp_attack", "1 ms"),
        ("amp_sustain", "100 %"),
        ("lane1_depth", "100 %"),
    ];
    let mut values: Vec<(u32, f64)> = texts
        .iter()
        .map(|&(id, text)| {
            let value = host.text_to_value(pid(id), text).expect("parse a value");
            (pid(id), value)
        })
        .collect();
    // Stepped values are indices: unison 1 (index 0), lane on, cutoff, one bar, sync mode.
    for (id, v) in [
        ("unison", 0.0),
        ("lane1_enable", 1.0),
        ("lane1_dest", 0.0),
        ("lane1_length", 6.0),
        ("lane1_sync", sync),
    ] {
        values.push((pid(id), v));
    }
    host.flush_params(&values).expect("flush params");
}

/// Renders `frames` frames of a held A2 with the transport `at(frame)` for each block.
fn render(host: &mut PluginHost, frames: u64, at: impl Fn(u64) -> Transport) -> StereoBuffer {
    let events: Vec<ScheduledEvent> = sorted(note(45, 0.9, 0, frames - 1).to_vec());
    let mut processor = host.activate(RATE, 1, BLOCK).expect("activate");
    processor.start_processing().expect("start");
    let mut out = StereoBuffer::default();
    let mut start = 0u64;
    while start < frames {
        let len = u64::from(BLOCK).min(frames - start);
        let block: Vec<TimedEvent> = events
            .iter()
            .filter(|e| e.frame >= start && e.frame < start + len)
            .map(|e| TimedEvent::new((e.frame - start) as u32, e.event))
            .collect();
        let transport = at(start);
        let b = processor
            .process(len as u32, &block, Some(&transport))
            .expect("process");
        out.extend_from_block(b);
        start += len;
    }
    processor.stop_processing();
    host.deactivate(processor);
    assert!(out.all_finite(), "non-finite output");
    out
}

fn steady(frame: u64) -> Transport {
    let seconds = frame as f64 / RATE;
    Transport::playing(TEMPO, seconds * TEMPO / 60.0, seconds)
}

/// Spectral centroid in Hz of the 4,096 samples centred on `frame`.
fn centroid(signal: &[f32], frame: usize) -> f64 {
    let n = 4_096;
    let start = frame.saturating_sub(n / 2).min(signal.len() - n);
    let mut data: Vec<Complex<f64>> = (0..n)
        .map(|i| {
            let w = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / n as f64).cos();
            Complex::new(f64::from(signal[start + i]) * w, 0.0)
        })
        .collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut data);
    let (mut weighted, mut total) = (0.0, 0.0);
    for (k, c) in data.iter().enumerate().take(n / 2).skip(1) {
        let e = c.norm_sqr();
        weighted += e * k as f64 * RATE / n as f64;
        total += e;
    }
    weighted / total.max(1e-30)
}

/// The default lane curve at `beat`: a one-bar triangle peaking at beat 2.
fn triangle(beat: f64) -> f64 {
    let b = beat.rem_euclid(4.0);
    if b < 2.0 { b / 2.0 } else { (4.0 - b) / 2.0 }
}

#[test]
fn a_cutoff_lane_sweeps_in_sync_with_the_transport() {
    let mut host = common::fresh();
    setup(&mut host, 0.0);
    let out = render(&mut host, (8.0 * BEAT) as u64, steady).mono();
    let beats: Vec<f64> = (1..32).map(|i| i as f64 * 0.25).collect();
    let logs: Vec<f64> = beats
        .iter()
        .map(|b| centroid(&out, (b * BEAT) as usize).log2())
        .collect();
    let curve: Vec<f64> = beats.iter().map(|&b| triangle(b)).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (ml, mc) = (mean(&logs), mean(&curve));
    let cov: f64 = logs
        .iter()
        .zip(&curve)
        .map(|(l, c)| (l - ml) * (c - mc))
        .sum();
    let var_l: f64 = logs.iter().map(|l| (l - ml).powi(2)).sum();
    let var_c: f64 = curve.iter().map(|c| (c - mc).powi(2)).sum();
    let r = cov / (var_l * var_c).sqrt();
    assert!(
        r > 0.9,
        "centroid does not follow the lane (r = {r:.3}): {logs:?}"
    );
    let top = centroid(&out, (2.0 * BEAT) as usize);
    let low = centroid(&out, (4.0 * BEAT) as usize);
    assert!(
        top > 2.0 * low,
        "no audible sweep: {top:.0} Hz vs {low:.0} Hz"
    );
}

#[test]
fn a_host_loop_wraps_the_lane_at_the_loop_point() {
    // The host loops beats 0…3: after beat 3 the song position is back at 0.
    let looped = |frame: u64| {
        let beat = (frame as f64 / BEAT) % 3.0;
        Transport::playing(TEMPO, beat, beat * 60.0 / TEMPO)
    };
    let frames = (6.0 * BEAT) as u64;
    let mut host = common::fresh();
    setup(&mut host, 0.0);
    let out = render(&mut host, frames, looped).mono();
    let before = centroid(&out, (2.8 * BEAT) as usize);
    let first = centroid(&out, (0.3 * BEAT) as usize);
    let after = centroid(&out, (3.3 * BEAT) as usize);
    assert!(
        before > 1.5 * after,
        "no wrap: {before:.0} Hz then {after:.0} Hz"
    );
    assert!(
        (after / first - 1.0).abs() < 0.25,
        "after the loop the lane is not where it started: {after:.0} Hz vs {first:.0} Hz"
    );
    // A Free lane ignores the loop: it renders exactly as without one.
    let mut free = common::fresh();
    setup(&mut free, 1.0);
    let with_loop = render(&mut free, frames, looped);
    let without = render(&mut free, frames, steady);
    assert_eq!(
        common::first_difference(&with_loop, &without),
        None,
        "a Free lane followed the host loop"
    );
}

/// The state with its `lanes` field replaced by `lanes_json`.
fn with_lanes(state: &[u8], lanes_json: &str) -> Vec<u8> {
    let text = std::str::from_utf8(&state[8..]).expect("JSON state");
    let key = "\"lanes\":\"";
    let start = text.find(key).expect("a lanes field") + key.len();
    let bytes = text.as_bytes();
    let mut end = start;
    while bytes[end] != b'"' || bytes[end - 1] == b'\\' {
        end += 1;
    }
    let escaped = lanes_json.replace('\\', "\\\\").replace('"', "\\\"");
    let json = format!("{}{}{}", &text[..start], escaped, &text[end..]);
    let mut out = (json.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(json.as_bytes());
    out
}

/// The `lanes` field of a saved state, as stored.
fn lanes_field(state: &[u8]) -> String {
    let text = std::str::from_utf8(&state[8..]).expect("JSON state");
    let key = "\"lanes\":\"";
    let start = text.find(key).expect("a lanes field") + key.len();
    let bytes = text.as_bytes();
    let mut end = start;
    while bytes[end] != b'"' || bytes[end - 1] == b'\\' {
        end += 1;
    }
    text[start..end].to_string()
}

#[test]
fn lanes_survive_a_state_round_trip_bit_for_bit() {
    let mut a = common::fresh();
    setup(&mut a, 0.0);
    let lanes = r#"{"lanes":[{"points":[{"b":0.0,"v":0.1},{"b":1.2345678901234567,"v":0.987654321,"c":"curved","t":-0.3333333},{"b":2.75,"v":0.0,"c":"step"}]},{"points":[{"b":0.5,"v":0.25}]}]}"#;
    let state = with_lanes(&a.save_state().unwrap(), lanes);
    a.load_state(&state).expect("load the edited state");
    let saved = a.save_state().unwrap();
    let field = lanes_field(&saved);
    assert!(
        field.contains("1.2345678901234567"),
        "points not taken: {field}"
    );
    let mut b = common::fresh();
    b.load_state(&saved).expect("load into a fresh instance");
    let again = lanes_field(&b.save_state().unwrap());
    assert_eq!(field, again, "lanes changed in a round trip");
    let frames = (4.0 * BEAT) as u64;
    let (ra, rb) = (
        render(&mut a, frames, steady),
        render(&mut b, frames, steady),
    );
    assert!(ra.peak() > 1e-4);
    assert_eq!(common::first_difference(&ra, &rb), None, "renders differ");
}

#[test]
fn a_broken_lane_loads_repaired_or_refused_and_the_plugin_keeps_playing() {
    let mut host = common::fresh();
    setup(&mut host, 0.0);
    let many: Vec<String> = (0..5_000)
        .map(|i| format!(r#"{{"b":{},"v":0.5}}"#, i as f64 * 0.001))
        .collect();
    let lanes = format!(
        r#"{{"lanes":[{{"points":[{{"b":3.0,"v":0.5}},{{"b":null,"v":0.2}},{{"b":1.0,"v":7.5}},{{"b":-2.0,"v":0.1,"c":"curved","t":40.0}}]}},{{"points":[{}]}},{{"points":[{{"b":null,"v":null}}]}}]}}"#,
        many.join(",")
    );
    let state = with_lanes(&host.save_state().unwrap(), &lanes);
    host.load_state(&state).expect("a repairable state loads");
    let field = lanes_field(&host.save_state().unwrap());
    // Lane 1: NaN refused, the rest clamped and sorted.
    let lane1 = field.split("]},").next().unwrap();
    let beats: Vec<usize> = ["\\\"b\\\":0.0", "\\\"b\\\":1.0", "\\\"b\\\":3.0"]
        .iter()
        .map(|b| {
            lane1
                .find(b)
                .unwrap_or_else(|| panic!("{b} missing in {lane1}"))
        })
        .collect();
    assert!(
        beats[0] < beats[1] && beats[1] < beats[2],
        "not sorted: {lane1}"
    );
    assert!(
        !lane1.contains("7.5") && !lane1.contains("null"),
        "not repaired: {lane1}"
    );
    // Lane 2: capped at 4,096 points.
    let lane2 = field.split("]},").nth(1).unwrap();
    assert_eq!(lane2.matches("\\\"b\\\"").count(), 4_096);
    let out = render(&mut host, (4.0 * BEAT) as u64, steady);
    assert!(out.peak() > 1e-3, "silent after a repaired state");
}
