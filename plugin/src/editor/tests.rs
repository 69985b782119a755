//! Headless editor tests: the layout fits, and real pointer/keyboard input on the drawn
//! controls produces well-formed begin/set/end gestures.

use super::*;
use crate::params::OctolaneParams;
use crate::telemetry_feed::TelemetryFeed;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, RawInput};
use nice_plug::context::PluginApi;
use nice_plug::context::gui::GuiContextInner;
use nice_plug::prelude::{Param, ParamPtr, PluginState};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::Ordering;

#[test]
fn layout_fits_the_window() {
    let (w, h) = theme::WINDOW_SIZE;
    assert!(
        Grid::needed_height() <= h as f32,
        "{}",
        Grid::needed_height()
    );
    let area = Rect::from_min_size(pos2(0.0, 0.0), vec2(w as f32, h as f32));
    let grid = Grid::new(area);
    for row in grid.cards {
        for card in row {
            assert!(area.contains_rect(card), "{card:?} outside {area:?}");
        }
    }
    // Screens down to 1280×800 hold the whole window.
    assert!(w <= 1280 && h <= 800);
}

/// One call the editor made to the host.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Gesture {
    Begin(ParamPtr),
    Set(ParamPtr, f32),
    End(ParamPtr),
}

/// A stand-in host: records gestures and applies values the way a wrapper does.
#[derive(Default)]
struct Host {
    log: Mutex<Vec<Gesture>>,
}

impl GuiContextInner for Host {
    fn plugin_api(&self) -> PluginApi {
        PluginApi::Clap
    }
    unsafe fn raw_begin_set_parameter(&self, param: ParamPtr) {
        self.log.lock().unwrap().push(Gesture::Begin(param));
    }
    unsafe fn raw_set_parameter_normalized(&self, param: ParamPtr, normalized: f32) {
        self.log
            .lock()
            .unwrap()
            .push(Gesture::Set(param, normalized));
        // SAFETY: the params outlive the test's editor frames.
        unsafe { param._internal_set_normalized_value(normalized) };
    }
    unsafe fn raw_end_set_parameter(&self, param: ParamPtr) {
        self.log.lock().unwrap().push(Gesture::End(param));
    }
    fn get_state(&self) -> PluginState {
        PluginState {
            version: String::new(),
            params: BTreeMap::new(),
            fields: BTreeMap::new(),
        }
    }
    fn set_state(&self, _state: PluginState) {}
    fn request_restart(&self) {}
}

/// An editor app plus an egui context, driven frame by frame with synthetic input.
struct Harness {
    app: EditorApp,
    params: Arc<OctolaneParams>,
    host: Host,
    ctx: egui::Context,
    time: f64,
    /// The audio thread's end of the editor's telemetry ring.
    producer: octolane_dsp::TelemetryProducer,
}

impl Harness {
    fn new() -> Self {
        let params = Arc::new(OctolaneParams::default());
        let (producer, feed) = TelemetryFeed::new();
        let app = EditorApp {
            params: params.clone(),
            meters: Arc::new(Meters::default()),
            gui_context: None,
            entry: widgets::TextEntry::default(),
            meter: meter::MeterState::default(),
            telemetry: Arc::new(feed),
            performance: performance::PerformanceView::default(),
            view: View::Synth,
            motion: super::motion_view::MotionView::default(),
        };
        let ctx = egui::Context::default();
        theme::apply(&ctx);
        let mut h = Self {
            app,
            params,
            host: Host::default(),
            ctx,
            time: 0.0,
            producer,
        };
        h.frame(vec![]);
        h
    }

    fn frame(&mut self, events: Vec<Event>) {
        let (w, h) = theme::WINDOW_SIZE;
        self.time += 0.05;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(w as f32, h as f32))),
            time: Some(self.time),
            events,
            ..RawInput::default()
        };
        let setter = ParamSetter::new(&self.host);
        let app = &mut self.app;
        let output = self.ctx.run_ui(input, |ui| app.draw(ui, &setter));
        output.drop_without_applying_deltas();
    }

    fn press(&mut self, pos: Pos2, pressed: bool) {
        self.frame(vec![Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        }]);
    }

    fn click(&mut self, pos: Pos2) {
        self.frame(vec![Event::PointerMoved(pos)]);
        self.press(pos, true);
        self.press(pos, false);
    }

    fn take_log(&self) -> Vec<Gesture> {
        std::mem::take(&mut *self.host.log.lock().unwrap())
    }
}

/// Centre of the track, or of the value box, of control row `row` in a right-hand card.
fn right_card_point(card: Rect, label_width: f32, row: usize, value_box: bool) -> Pos2 {
    let content_min = card.min + vec2(card::PADDING, card::PADDING + card::HEADING);
    let content_max_x = card.max.x - card::PADDING;
    let y = content_min.y + row as f32 * (theme::ROW_HEIGHT + theme::ROW_GAP) + 10.0;
    let value_min_x = content_max_x - theme::VALUE_WIDTH;
    let x = if value_box {
        value_min_x + theme::VALUE_WIDTH / 2.0
    } else {
        let track_min_x = content_min.x + label_width + theme::INNER_GAP;
        (track_min_x + value_min_x - theme::INNER_GAP) / 2.0
    };
    pos2(x, y)
}

fn grid() -> Grid {
    let (w, h) = theme::WINDOW_SIZE;
    Grid::new(Rect::from_min_size(Pos2::ZERO, vec2(w as f32, h as f32)))
}

/// Every gesture in `log` is for `param`, starts with Begin, ends with End, and has at
/// least one Set in between.
fn assert_one_gesture(log: &[Gesture], param: ParamPtr) {
    assert!(log.len() >= 3, "{log:?}");
    assert_eq!(log.first(), Some(&Gesture::Begin(param)), "{log:?}");
    assert_eq!(log.last(), Some(&Gesture::End(param)), "{log:?}");
    for g in &log[1..log.len() - 1] {
        assert!(matches!(g, Gesture::Set(p, _) if *p == param), "{log:?}");
    }
}

#[test]
fn dragging_a_slider_is_one_gesture_and_moves_the_value() {
    let mut h = Harness::new();
    let params = h.params.clone();
    let cutoff = &params.filter.cutoff;
    let before = cutoff.unmodulated_normalized_value();
    let start = right_card_point(grid().cards[0][1], 74.0, 1, false);
    h.frame(vec![Event::PointerMoved(start)]);
    h.press(start, true);
    for dx in [10.0, 30.0, 60.0] {
        h.frame(vec![Event::PointerMoved(start + vec2(dx, 0.0))]);
    }
    h.press(start + vec2(60.0, 0.0), false);
    h.frame(vec![]);
    let log = h.take_log();
    assert_one_gesture(&log, cutoff.as_ptr());
    let after = cutoff.unmodulated_normalized_value();
    assert!(after > before + 0.1, "{before} -> {after}");
}

#[test]
fn double_click_resets_to_default() {
    let mut h = Harness::new();
    let params = h.params.clone();
    let resonance = &params.filter.resonance;
    let ptr = resonance.as_ptr();
    // SAFETY: the params outlive the pointer.
    unsafe { ptr._internal_set_normalized_value(0.9) };
    let at = right_card_point(grid().cards[0][1], 74.0, 2, false);
    h.click(at);
    h.click(at);
    h.frame(vec![]);
    let log = h.take_log();
    assert_one_gesture(&log, ptr);
    assert_eq!(resonance.value(), resonance.default_plain_value());
}

#[test]
fn typing_a_value_sets_it_in_one_gesture() {
    let mut h = Harness::new();
    let params = h.params.clone();
    let gain = &params.output.gain;
    let at = right_card_point(grid().cards[2][1], 74.0, 0, true);
    h.click(at);
    h.frame(vec![]);
    h.frame(vec![Event::Text("-12 dB".to_string())]);
    h.frame(vec![Event::Key {
        key: Key::Enter,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }]);
    h.frame(vec![]);
    let log = h.take_log();
    assert_one_gesture(&log, gain.as_ptr());
    assert!((gain.value() + 12.0).abs() < 1e-4, "{}", gain.value());
}

#[test]
fn clicking_a_segment_selects_that_choice() {
    let mut h = Harness::new();
    let params = h.params.clone();
    let mode = &params.filter.mode;
    // Row 0 of the Filter card: five segments across the control area; click the last.
    let card = grid().cards[0][1];
    let y = card.min.y + card::PADDING + card::HEADING + 10.0;
    let x = card.max.x - card::PADDING - 5.0;
    h.click(pos2(x, y));
    h.frame(vec![]);
    let log = h.take_log();
    assert_one_gesture(&log, mode.as_ptr());
    assert_eq!(mode.value(), crate::params::FilterChoice::Notch);
}

/// Pushes `n` timed records as the audio thread would with the switch on.
fn push_records(h: &mut Harness, n: usize) {
    for _ in 0..n {
        let start = h.producer.start(true);
        h.producer.finish(
            start,
            octolane_dsp::BlockFigures {
                frames: 128,
                sample_rate_hz: 48_000.0,
                voices: 5,
                events: 2,
                lane_swaps: 0,
            },
        );
    }
}

#[test]
fn the_performance_tab_switches_telemetry_and_shows_the_records() {
    let mut h = Harness::new();
    assert!(!h.params.performance(), "off by default");
    let header = grid().header;
    // The Performance tab sits just left of the version text.
    h.click(pos2(header.max.x - 60.0 - 52.0, header.center().y));
    assert_eq!(h.app.view, View::Performance);
    // The switch is the first control of the panel's card.
    let body = grid().cards[0][0];
    let switch = body.min + vec2(card::PADDING + 40.0, card::PADDING + card::HEADING + 10.0);
    h.click(switch);
    assert!(h.params.performance(), "the switch turned telemetry on");
    push_records(&mut h, 40);
    h.frame(vec![]);
    assert_eq!(h.app.performance.blocks(), 40);
    // Off discards; on again starts a fresh count.
    h.click(switch);
    assert!(!h.params.performance());
    push_records(&mut h, 10);
    h.frame(vec![]);
    assert_eq!(h.app.performance.blocks(), 0);
    h.click(switch);
    push_records(&mut h, 3);
    h.frame(vec![]);
    assert_eq!(h.app.performance.blocks(), 3);
}

#[test]
fn the_motion_view_adds_and_deletes_points_and_sends_each_edit() {
    let mut h = Harness::new();
    let header = grid().header;
    // Tabs from the right: Performance, Motion, Synth (104 wide, 4 apart).
    h.click(pos2(header.max.x - 60.0 - 108.0 - 52.0, header.center().y));
    assert_eq!(h.app.view, View::Motion);
    let store = h.params.lanes.clone();
    let before = store.revision.load(Ordering::Relaxed);
    assert_eq!(store.curve(0).points().len(), 2);
    let body = grid().cards[0][0];
    let canvas = Rect::from_min_max(
        pos2(body.min.x + 300.0 + theme::GAP, body.min.y),
        grid().cards[2][1].max,
    );
    let spot = pos2(canvas.center().x + 40.0, canvas.center().y + 30.0);
    h.click(spot);
    assert_eq!(
        store.curve(0).points().len(),
        3,
        "click did not add a point"
    );
    assert!(
        store.revision.load(Ordering::Relaxed) > before,
        "no snapshot sent"
    );
    h.frame(vec![Event::PointerMoved(spot)]);
    for pressed in [true, false] {
        h.frame(vec![Event::PointerButton {
            pos: spot,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        }]);
    }
    assert_eq!(
        store.curve(0).points().len(),
        2,
        "right-click did not delete"
    );
}
