//! Misusing the host reports an error instead of reaching the plugin with bad data.

mod common;

use std::path::Path;

use octolane_tests::{HostError, HostEvent, PLUGIN_ID, PluginHost, TimedEvent, require_bundle};

#[test]
fn loading_a_missing_file_or_an_unknown_plugin_id_fails() {
    assert!(matches!(
        PluginHost::load(Path::new("/nonexistent/Octolane.clap"), PLUGIN_ID),
        Err(HostError::Load(_))
    ));
    assert!(matches!(
        PluginHost::load(&require_bundle(), "dev.octolane.nothing"),
        Err(HostError::PluginNotFound(_))
    ));
}

#[test]
fn bad_blocks_and_events_are_rejected_and_processing_continues() {
    let mut host = common::fresh();
    let mut processor = host.activate(48_000.0, 1, 64).unwrap();
    assert!(matches!(
        processor.process(64, &[], None),
        Err(HostError::ProcessingState(_))
    ));
    processor.start_processing().unwrap();
    assert_eq!(
        processor.process(65, &[], None).err(),
        Some(HostError::BlockSize {
            frames: 65,
            max_frames: 64
        })
    );
    assert!(matches!(
        processor.process(0, &[], None),
        Err(HostError::BlockSize { .. })
    ));
    let late = [TimedEvent::new(64, HostEvent::note_on(1, 60, 1.0))];
    assert_eq!(
        processor.process(64, &late, None).err(),
        Some(HostError::EventOutOfBlock {
            offset: 64,
            frames: 64
        })
    );
    let on_time = [TimedEvent::new(10, HostEvent::note_on(1, 60, 1.0))];
    let out = processor.process(64, &on_time, None).unwrap();
    assert!(out.left[..10].iter().all(|&s| s == 0.0));
    assert!(out.left.iter().chain(out.right).any(|&s| s != 0.0));
    processor.stop_processing();
    host.deactivate(processor);
    assert!(!host.is_active());
}

#[test]
fn unknown_param_ids_are_errors() {
    let mut host = common::fresh();
    let unknown = 0x7fff_fff0;
    assert!(host.params().unwrap().iter().all(|p| p.id != unknown));
    assert!(matches!(
        host.get_value(unknown),
        Err(HostError::Param { .. })
    ));
    assert!(matches!(
        host.value_to_text(unknown, 0.5),
        Err(HostError::Param { .. })
    ));
    assert!(matches!(
        host.text_to_value(unknown, "1"),
        Err(HostError::Param { .. })
    ));
}
