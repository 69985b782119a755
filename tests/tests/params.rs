//! Parameters as a host sees them: sane ranges, text that round-trips, and ids that never change.

mod common;

use std::collections::BTreeSet;

use octolane_tests::param_id_hash;

/// The string ids Octolane promises (plugin/src/params.rs). Hosts store the CLAP ids derived from
/// them in projects and automation, so removing or renaming one breaks users' songs.
const RELEASED_IDS: [&str; 87] = [
    "osc1_wave",
    "osc1_pw",
    "osc1_octave",
    "osc1_semi",
    "osc1_fine",
    "osc1_level",
    "osc2_wave",
    "osc2_pw",
    "osc2_octave",
    "osc2_semi",
    "osc2_fine",
    "osc2_level",
    "noise_level",
    "filter_mode",
    "cutoff",
    "resonance",
    "key_track",
    "filter_env",
    "filter_vel",
    "drive",
    "amp_attack",
    "amp_decay",
    "amp_sustain",
    "amp_release",
    "mod_attack",
    "mod_decay",
    "mod_sustain",
    "mod_release",
    "mod_env_pitch",
    "lfo_wave",
    "lfo_rate",
    "lfo_sync",
    "lfo_division",
    "lfo_retrigger",
    "lfo_pitch",
    "lfo_cutoff",
    "lfo_amp",
    "lfo_pan",
    "polyphony",
    "unison",
    "unison_detune",
    "unison_width",
    "glide",
    "bend_range",
    "pressure_cutoff",
    "velocity_sens",
    "gain",
    "lane1_enable",
    "lane1_dest",
    "lane1_depth",
    "lane1_length",
    "lane1_sync",
    "lane2_enable",
    "lane2_dest",
    "lane2_depth",
    "lane2_length",
    "lane2_sync",
    "lane3_enable",
    "lane3_dest",
    "lane3_depth",
    "lane3_length",
    "lane3_sync",
    "lane4_enable",
    "lane4_dest",
    "lane4_depth",
    "lane4_length",
    "lane4_sync",
    "lane5_enable",
    "lane5_dest",
    "lane5_depth",
    "lane5_length",
    "lane5_sync",
    "lane6_enable",
    "lane6_dest",
    "lane6_depth",
    "lane6_length",
    "lane6_sync",
    "lane7_enable",
    "lane7_dest",
    "lane7_depth",
    "lane7_length",
    "lane7_sync",
    "lane8_enable",
    "lane8_dest",
    "lane8_depth",
    "lane8_length",
    "lane8_sync",
];

#[test]
fn every_param_has_a_finite_range_a_default_inside_it_and_starts_at_it() {
    let mut host = common::fresh();
    let params = host.params().unwrap();
    assert!(!params.is_empty(), "the plugin exposes no parameter");
    let ids: BTreeSet<u32> = params.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), params.len(), "duplicate CLAP parameter ids");
    for p in &params {
        assert!(!p.name.is_empty(), "parameter {} has no name", p.id);
        assert!(
            p.min.is_finite() && p.max.is_finite() && p.min < p.max,
            "{}: bad range {}..{}",
            p.name,
            p.min,
            p.max
        );
        assert!(
            p.default.is_finite() && p.min <= p.default && p.default <= p.max,
            "{}: default {} outside {}..{}",
            p.name,
            p.default,
            p.min,
            p.max
        );
        let value = host.get_value(p.id).unwrap();
        assert!(
            (value - p.default).abs() <= 1e-6 * (p.max - p.min),
            "{}: a fresh instance holds {value}, not its default {}",
            p.name,
            p.default
        );
    }
}

#[test]
fn value_text_value_round_trips_for_every_param() {
    let mut host = common::fresh();
    let params = host.params().unwrap();
    let mut failures = Vec::new();
    for p in &params {
        let span = p.max - p.min;
        let mut values = vec![p.min, p.max, p.default];
        values.extend([0.1, 0.25, 0.5, 0.75, 0.9].map(|f| p.min + f * span));
        if p.flags.is_stepped() {
            values.iter_mut().for_each(|v| *v = v.round());
        }
        for v in values {
            let text = host.value_to_text(p.id, v).unwrap();
            let parsed = match host.text_to_value(p.id, &text) {
                Ok(parsed) => parsed,
                Err(e) => {
                    failures.push(format!("{}: {v} -> {text:?} -> not parsed ({e})", p.name));
                    continue;
                }
            };
            let again = host.value_to_text(p.id, parsed).unwrap();
            if again != text {
                failures.push(format!(
                    "{}: {v} -> {text:?} -> {parsed} -> {again:?}",
                    p.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "text round trips failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn released_param_ids_are_all_present_and_nothing_unlisted_appeared() {
    let mut host = common::fresh();
    let actual: BTreeSet<u32> = host.params().unwrap().iter().map(|p| p.id).collect();
    let missing: Vec<&str> = RELEASED_IDS
        .iter()
        .copied()
        .filter(|id| !actual.contains(&param_id_hash(id)))
        .collect();
    assert!(
        missing.is_empty(),
        "released parameter ids are gone (renamed or removed): {missing:?}"
    );
    let promised: BTreeSet<u32> = RELEASED_IDS.iter().map(|id| param_id_hash(id)).collect();
    let unlisted: Vec<String> = host
        .params()
        .unwrap()
        .iter()
        .filter(|p| !promised.contains(&p.id))
        .map(|p| format!("{} (CLAP id {}, module {:?})", p.name, p.id, p.module))
        .collect();
    assert!(
        unlisted.is_empty(),
        "new parameters must be added to RELEASED_IDS here and in docs/PARAMS.md: {unlisted:?}"
    );
}

#[test]
fn param_id_hash_matches_nice_plug_by_hand() {
    // nice-plug's `hash_param_id`: h = h * 31 + byte, wrapping, top bit cleared.
    assert_eq!(param_id_hash(""), 0);
    assert_eq!(param_id_hash("a"), 97);
    assert_eq!(param_id_hash("ab"), 97 * 31 + 98);
    // 31^7 * 'z' alone overflows 32 bits; the top bit must be cleared.
    assert_eq!(param_id_hash("zzzzzzzz") >> 31, 0);
}
