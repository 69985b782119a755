//! Host automation is sample-accurate: a cutoff change at frame N leaves everything before N
//! untouched and opens the filter from N on.

mod common;

use common::{band_energy, first_difference, pid, render_events, sorted};
use octolane_tests::{HostEvent, PluginHost, ScheduledEvent};

const RATE: f64 = 48_000.0;
const BLOCK: u32 = 512;
/// The automation point: mid-block, well after the attack.
const N: u64 = 36_000 + 123;
const TOTAL: u64 = N + 16_384;
/// Analysis window length.
const WINDOW: usize = 4096;
/// Time allowed for the plugin's own de-zippering ramp before measuring "after".
const SETTLE: usize = 2400;

/// The CLAP value whose display text is `text` for parameter `string_id`.
fn value_of(host: &mut PluginHost, string_id: &str, text: &str) -> f64 {
    host.text_to_value(pid(string_id), text)
        .unwrap_or_else(|e| panic!("{string_id}: cannot parse {text:?}: {e}"))
}

/// A held saw chord through a dark filter whose cutoff only the automation moves.
fn chord_events(host: &mut PluginHost) -> Vec<ScheduledEvent> {
    let settings = [
        ("cutoff", "300 Hz"),
        ("filter_env", "0"),
        ("filter_vel", "0"),
        ("key_track", "0"),
        ("lfo_cutoff", "0"),
        ("resonance", "0"),
    ];
    let mut events: Vec<ScheduledEvent> = settings
        .iter()
        .map(|(id, text)| {
            ScheduledEvent::new(0, HostEvent::param(pid(id), value_of(host, id, text)))
        })
        .collect();
    for (i, key) in [48u8, 55, 60, 64].into_iter().enumerate() {
        events.push(ScheduledEvent::new(
            0,
            HostEvent::note_on(i as i32, key, 0.5),
        ));
    }
    sorted(events)
}

#[test]
fn cutoff_automation_changes_the_spectrum_exactly_from_its_sample() {
    let mut plain = common::fresh();
    let base = chord_events(&mut plain);
    let without = render_events(&mut plain, RATE, BLOCK, &base, TOTAL);

    let mut automated = common::fresh();
    let open = value_of(&mut automated, "cutoff", "20 kHz");
    let mut events = chord_events(&mut automated);
    events.push(ScheduledEvent::new(
        N,
        HostEvent::param(pid("cutoff"), open),
    ));
    let with = render_events(&mut automated, RATE, BLOCK, &events, TOTAL);

    assert!(
        with.all_finite() && without.all_finite(),
        "non-finite output"
    );
    let n = N as usize;
    let first = first_difference(&with, &without).expect("the automation changed nothing");
    assert!(
        first >= n,
        "output changed at frame {first}, before the automation event at {n}"
    );
    assert!(
        first < n + 64,
        "output changed only at frame {first}, long after the automation event at {n}"
    );

    let mono = with.mono();
    let (high_before, total_before) = band_energy(&mono[n - WINDOW..n], RATE, 4000.0);
    let after = n + SETTLE;
    let (high_after, total_after) = band_energy(&mono[after..after + WINDOW], RATE, 4000.0);
    assert!(
        total_before > 1e-6,
        "the chord is silent before the automation (energy {total_before})"
    );
    assert!(
        high_after > 100.0 * high_before,
        "energy above 4 kHz went from {high_before:e} to only {high_after:e}"
    );
    assert!(
        high_after / total_after > 10.0 * high_before / total_before,
        "the share of energy above 4 kHz did not grow: {:e} -> {:e}",
        high_before / total_before,
        high_after / total_after
    );
}
