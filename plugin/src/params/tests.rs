//! Parameter contract tests: ids, defaults, text round trips, ranges, state versioning.

use super::*;
use nice_plug::prelude::ParamPtr;
use std::collections::BTreeSet;

/// Every released id (plugin/stable-param-ids.txt). Removing or renaming one breaks users'
/// projects: don't.
const IDS_FILE: &str = include_str!("../../stable-param-ids.txt");

fn released_ids() -> BTreeSet<&'static str> {
    IDS_FILE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn params_map(params: &OctolaneParams) -> Vec<(String, ParamPtr, String)> {
    params.param_map()
}

#[test]
fn ids_are_exactly_the_released_ones() {
    let params = OctolaneParams::default();
    let map = params_map(&params);
    let ids: Vec<&str> = map.iter().map(|(id, _, _)| id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate parameter ids: {ids:?}");
    assert_eq!(unique, released_ids());
    assert_eq!(ids.len(), released_ids().len());
}

#[test]
fn every_param_has_a_group_and_a_unique_name() {
    let params = OctolaneParams::default();
    let groups = [
        "Oscillators",
        "Filter",
        "Envelopes",
        "LFO",
        "Voice",
        "Output",
        "Motion",
    ];
    let mut names = BTreeSet::new();
    for (id, ptr, group) in params_map(&params) {
        assert!(groups.contains(&group.as_str()), "{id}: group {group:?}");
        // SAFETY: `params` outlives every pointer taken from it in this test.
        let name = unsafe { ptr.name() }.to_string();
        assert!(!name.is_empty(), "{id} has no name");
        assert!(names.insert(name.clone()), "duplicate name {name}");
    }
}

/// The generated part of each docs/PARAMS.md table row: id, name, group, range, default.
fn doc_rows(params: &OctolaneParams) -> Vec<String> {
    let mut rows = Vec::new();
    for (id, ptr, group) in params_map(params) {
        // SAFETY: `params` outlives every pointer taken from it here.
        let row = unsafe {
            let text = |n: f32| ptr.normalized_value_to_string(n, true);
            let range = match (ptr, ptr.step_count()) {
                (ParamPtr::EnumParam(_) | ParamPtr::BoolParam(_), Some(steps)) => {
                    let choices: Vec<String> =
                        (0..=steps).map(|i| text(i as f32 / steps as f32)).collect();
                    if choices.len() <= 6 {
                        choices.join(" / ")
                    } else {
                        format!(
                            "{} … {} ({} choices)",
                            choices[0],
                            choices[steps],
                            steps + 1
                        )
                    }
                }
                _ => format!("{} … {}", text(0.0), text(1.0)),
            };
            let default = text(ptr.default_normalized_value());
            format!(
                "| `{id}` | {} | {group} | {range} | {default} |",
                ptr.name()
            )
        };
        rows.push(row);
    }
    rows
}

#[test]
fn docs_list_every_parameter_as_it_is() {
    let docs = include_str!("../../../docs/PARAMS.md");
    let params = OctolaneParams::default();
    for row in doc_rows(&params) {
        assert!(
            docs.contains(&row),
            "docs/PARAMS.md is missing or out of date; it needs this row:\n{row}"
        );
    }
}

#[test]
fn defaults_are_the_default_patch() {
    let got = OctolaneParams::default().patch();
    let want = Patch::default();
    // Exact: every default is stored as the plain value it was given.
    assert_eq!(got, want);
}

/// Normalized positions to probe: a dense sweep plus the default.
fn probes(ptr: &ParamPtr) -> Vec<f32> {
    let mut n: Vec<f32> = (0..=200).map(|i| i as f32 / 200.0).collect();
    // SAFETY: the caller keeps the params alive.
    n.push(unsafe { ptr.default_normalized_value() });
    n
}

#[test]
fn every_value_round_trips_through_its_text() {
    let params = OctolaneParams::default();
    for (id, ptr, _) in params_map(&params) {
        // SAFETY: `params` outlives every pointer taken from it in this test.
        unsafe {
            let (lo, hi) = (ptr.preview_plain(0.0), ptr.preview_plain(1.0));
            let span = (hi - lo).abs();
            for n in probes(&ptr) {
                let value = ptr.preview_plain(n);
                let text = ptr.normalized_value_to_string(n, true);
                let n2 = ptr
                    .string_to_normalized_value(&text)
                    .unwrap_or_else(|| panic!("{id}: cannot parse its own text {text:?}"));
                let value2 = ptr.preview_plain(n2);
                if let ParamPtr::BoolParam(_) = ptr {
                    assert_eq!(n2 > 0.5, n > 0.5, "{id}: {n} -> {text:?} -> {n2}");
                } else if ptr.step_count().is_some() {
                    // Stepped (int, enum): exactly the same step comes back.
                    assert_eq!(value2, value, "{id}: {value} -> {text:?} -> {value2}");
                } else {
                    // Continuous: back to within the text's display precision.
                    let tolerance = 0.005 * value.abs() + 0.0051 * span;
                    assert!(
                        (value2 - value).abs() <= tolerance,
                        "{id}: {value} -> {text:?} -> {value2}"
                    );
                }
                // ...and the text it shows is the same text: text -> value -> same text.
                let text2 = ptr.normalized_value_to_string(n2, true);
                assert_eq!(text, text2, "{id}: text not stable ({value} -> {value2})");
                // Without units, hosts get the same string (units are part of the text).
                assert_eq!(ptr.normalized_value_to_string(n, false), text, "{id}");
            }
        }
    }
}

#[test]
fn garbage_text_is_rejected_not_guessed() {
    let params = OctolaneParams::default();
    for (id, ptr, _) in params_map(&params) {
        // SAFETY: `params` outlives every pointer taken from it in this test.
        let parsed = unsafe { ptr.string_to_normalized_value("banana") };
        // Booleans read anything that is not "on"/"true" as off, as nice-plug does.
        if !matches!(ptr, ParamPtr::BoolParam(_)) {
            assert_eq!(parsed, None, "{id} accepted 'banana'");
        }
    }
}

/// Sets every parameter to the same normalized position.
fn set_all(params: &OctolaneParams, normalized: f32) {
    for (_, ptr, _) in params_map(params) {
        // SAFETY: `params` outlives the pointers; the test is the only user of the params.
        unsafe {
            ptr._internal_set_normalized_value(normalized);
        }
    }
}

#[test]
fn extremes_stay_inside_the_engine_ranges() {
    let params = OctolaneParams::default();
    set_all(&params, 0.0);
    let low = params.patch();
    assert_eq!(low, low.sanitized(), "minimums outside the engine's ranges");
    assert_eq!(low.filter.cutoff_hz, 20.0);
    assert_eq!(low.voice.polyphony, 1);
    assert_eq!(low.osc1.wave, octolane_dsp::Waveform::Sine);
    assert_eq!(low.lfo.division, octolane_dsp::SyncDivision::Whole);
    assert!(!low.lfo.sync);

    set_all(&params, 1.0);
    let high = params.patch();
    assert_eq!(
        high,
        high.sanitized(),
        "maximums outside the engine's ranges"
    );
    assert_eq!(high.filter.cutoff_hz, 20_000.0);
    assert_eq!(high.voice.polyphony as usize, octolane_dsp::MAX_VOICES);
    assert_eq!(high.voice.unison, 8);
    assert_eq!(high.osc2.wave, octolane_dsp::Waveform::Pulse);
    assert_eq!(high.filter.mode, octolane_dsp::FilterMode::Notch);
    assert_eq!(high.lfo.wave, octolane_dsp::LfoWave::SampleHold);
    assert_eq!(
        high.lfo.division,
        octolane_dsp::SyncDivision::ThirtySecondTriplet
    );
    assert!(high.lfo.sync && high.lfo.retrigger);
    assert_eq!(high.voice.master_gain_db, 6.0);
}

#[test]
fn format_version_is_persisted_and_upgraded() {
    let params = OctolaneParams::default();
    let fields = params.serialize_fields();
    assert_eq!(saved_format_version(&fields), Some(STATE_FORMAT_VERSION));
    assert_eq!(params.format_version(), STATE_FORMAT_VERSION);

    let mut current = fields.clone();
    assert_eq!(upgrade_state(&mut current), StateUpgrade::Current);
    assert_eq!(current, fields);

    let mut unversioned = BTreeMap::new();
    assert_eq!(upgrade_state(&mut unversioned), StateUpgrade::Migrated(0));
    assert_eq!(
        saved_format_version(&unversioned),
        Some(STATE_FORMAT_VERSION)
    );

    let mut newer = BTreeMap::from([(FORMAT_VERSION_KEY.to_string(), "99".to_string())]);
    assert_eq!(upgrade_state(&mut newer), StateUpgrade::FromNewer(99));
    assert_eq!(saved_format_version(&newer), Some(STATE_FORMAT_VERSION));

    params.deserialize_fields(&BTreeMap::from([(
        FORMAT_VERSION_KEY.to_string(),
        "7".to_string(),
    )]));
    assert_eq!(params.format_version(), 7);
}
