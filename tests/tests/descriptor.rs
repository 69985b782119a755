//! The plugin presents itself to a host as Octolane, an instrument with one stereo output and
//! a note input that speaks CLAP and MIDI.

mod common;

use octolane_tests::PLUGIN_ID;

#[test]
fn descriptor_identifies_octolane_as_a_stereo_synthesizer() {
    let host = common::fresh();
    let d = host.descriptor();
    assert_eq!(d.id, PLUGIN_ID);
    assert_eq!(d.name, "Octolane");
    assert_eq!(d.vendor, "Octolane");
    assert!(!d.version.is_empty(), "empty version string");
    for feature in ["instrument", "synthesizer", "stereo"] {
        assert!(
            d.features.iter().any(|f| f == feature),
            "feature {feature:?} missing from {:?}",
            d.features
        );
    }
}

#[test]
fn audio_ports_are_one_stereo_output_and_no_input() {
    let mut host = common::fresh();
    let inputs = host.audio_ports(true).unwrap();
    assert!(
        inputs.is_empty(),
        "an instrument takes no audio input: {inputs:?}"
    );
    let outputs = host.audio_ports(false).unwrap();
    assert_eq!(outputs.len(), 1, "{outputs:?}");
    let out = &outputs[0];
    assert_eq!(out.channel_count, 2, "{out:?}");
    assert!(out.is_main, "the output must be the main port: {out:?}");
    assert_eq!(out.port_type.as_deref(), Some("stereo"), "{out:?}");
}

#[test]
fn note_input_accepts_clap_and_midi_dialects() {
    let mut host = common::fresh();
    let inputs = host.note_ports(true).unwrap();
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    let port = &inputs[0];
    assert!(port.supported.clap, "CLAP dialect not accepted: {port:?}");
    assert!(port.supported.midi, "MIDI dialect not accepted: {port:?}");
}
