//! Parameters as a host sees them: sane ranges, text that round-trips, and ids that never change.

mod common;

use std::collections::BTreeSet;

use octolane_tests::param_id_hash;

/// The string ids Octolane promises (plugin/stable-param-ids.txt). Hosts store the CLAP ids
/// derived from them in projects and automation, so removing or renaming one breaks users' songs.
fn released_ids() -> Vec<&'static str> {
    include_str!("../../plugin/stable-param-ids.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

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
    let released = released_ids();
    assert!(released.len() >= 87, "the released id list was truncated");
    let missing: Vec<&str> = released
        .iter()
        .copied()
        .filter(|id| !actual.contains(&param_id_hash(id)))
        .collect();
    assert!(
        missing.is_empty(),
        "released parameter ids are gone (renamed or removed): {missing:?}"
    );
    let promised: BTreeSet<u32> = released.iter().map(|id| param_id_hash(id)).collect();
    let unlisted: Vec<String> = host
        .params()
        .unwrap()
        .iter()
        .filter(|p| !promised.contains(&p.id))
        .map(|p| format!("{} (CLAP id {}, module {:?})", p.name, p.id, p.module))
        .collect();
    assert!(
        unlisted.is_empty(),
        "new parameters must be added to plugin/stable-param-ids.txt and docs/PARAMS.md: {unlisted:?}"
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
