//! Real hosts call the main-thread API (parameter queries and text, state save and preset
//! recall) while the audio thread is inside `process()`. Doing both at once must neither crash,
//! nor corrupt the audio, nor fail either side.

mod common;

use std::thread;

use common::{Rng, pid, random_value};
use octolane_tests::{HostEvent, TempoMap, TimedEvent};

const RATE: f64 = 48_000.0;
const BLOCK: u32 = 128;
const BLOCKS: u32 = 3000;

#[test]
fn process_on_an_audio_thread_while_the_main_thread_queries_saves_and_loads() {
    let mut host = common::fresh();
    let params = host.params().unwrap();
    let automated: Vec<_> = params
        .iter()
        .filter(|p| {
            ["cutoff", "resonance", "lfo_rate", "unison_detune"]
                .map(pid)
                .contains(&p.id)
        })
        .cloned()
        .collect();
    assert_eq!(automated.len(), 4, "automated params not found");

    let mut processor = host.activate(RATE, 1, BLOCK).unwrap();
    let tempo = TempoMap::constant(120.0);

    let (audio, main_rounds, states) = thread::scope(|scope| {
        let audio = scope.spawn(move || {
            processor.start_processing().unwrap();
            let mut rng = Rng::new(5);
            let mut peak = 0.0f32;
            let mut non_finite = 0usize;
            let mut events = Vec::new();
            for block in 0..BLOCKS {
                events.clear();
                let key = 48 + (block % 24) as u8;
                if block.is_multiple_of(8) {
                    events.push(TimedEvent::new(
                        3,
                        HostEvent::note_on(block as i32, key, 0.7),
                    ));
                }
                if block % 8 == 6 && block >= 6 {
                    let on = block - 6;
                    let key = 48 + (on % 24) as u8;
                    events.push(TimedEvent::new(17, HostEvent::note_off(on as i32, key)));
                }
                let p = &automated[block as usize % automated.len()];
                let offset = (rng.next_u64() % u64::from(BLOCK)) as u32;
                events.push(TimedEvent::new(
                    offset,
                    HostEvent::param(p.id, random_value(p, &mut rng)),
                ));
                let transport = tempo.transport_at_frame(u64::from(block * BLOCK), RATE);
                let out = processor
                    .process(BLOCK, &events, Some(&transport))
                    .unwrap_or_else(|e| panic!("block {block}: {e}"));
                for s in out.left.iter().chain(out.right) {
                    if s.is_finite() {
                        peak = peak.max(s.abs());
                    } else {
                        non_finite += 1;
                    }
                }
            }
            processor.stop_processing();
            (processor, peak, non_finite)
        });

        // The main thread keeps working until the audio thread is done (at least one round).
        let mut rounds = 0u32;
        let mut states = Vec::new();
        loop {
            for p in &params {
                let value = host.get_value(p.id).unwrap();
                assert!(
                    value >= p.min && value <= p.max,
                    "{}: value {value} outside {}..{} while processing",
                    p.name,
                    p.min,
                    p.max
                );
                let text = host.value_to_text(p.id, value).unwrap();
                host.text_to_value(p.id, &text).unwrap();
            }
            let state = host.save_state().unwrap();
            if rounds.is_multiple_of(4) && states.len() < 8 {
                states.push(state);
            }
            // Preset recall during playback: load a state saved earlier in this run.
            if rounds.is_multiple_of(3) {
                host.load_state(&states[0]).unwrap();
            }
            rounds += 1;
            if audio.is_finished() {
                break;
            }
        }
        (audio.join().expect("audio thread panicked"), rounds, states)
    });

    let (processor, peak, non_finite) = audio;
    host.deactivate(processor);
    assert_eq!(non_finite, 0, "non-finite samples");
    assert!(peak > 1e-3, "the notes were not heard (peak {peak})");
    assert!(main_rounds >= 1);
    // Every state saved mid-processing is a complete, loadable state.
    for (i, state) in states.iter().enumerate() {
        let mut fresh = common::fresh();
        fresh
            .load_state(state)
            .unwrap_or_else(|e| panic!("state {i} saved while processing: {e}"));
    }
}
