//! The plugin window: six cards on a dark grid, one per parameter group, plus the output
//! meter and the sounding-voice count.
//!
//! ```text
//! ┌ OCTOLANE ─────────────────────────────────────────────────────┐
//! │ Oscillators (Osc 1 | Osc 2, noise)    │ Filter                │
//! │ Envelopes (Amp | Mod, env → pitch)    │ LFO                   │
//! │ Voice (allocation | performance)      │ Output (gain, meter)  │
//! └───────────────────────────────────────────────────────────────┘
//! ```
//!
//! Every control sends begin/set/end gestures through nice-plug's `ParamSetter`, so hosts
//! record automation from it, and resets to its default on double-click. The window has a
//! fixed logical size ([`theme::WINDOW_SIZE`]); the host's scale factor is applied on top.

mod card;
mod lane_shapes;
mod meter;
mod motion_view;
mod panels;
mod performance;
mod theme;
mod widgets;

use crate::meters::Meters;
use crate::params::OctolaneParams;
use crate::telemetry_feed::TelemetryFeed;
use egui::{Align2, Rect, pos2, vec2};
use nice_plug::context::gui::{GuiContext, ParamSetter};
use nice_plug::editor::dpi::LogicalSize;
use nice_plug_egui::{
    EguiEditor, EguiEditorState, EguiNiceSettings, NiceEguiApp, RepaintNotifier, create_egui_editor,
};
use std::sync::Arc;
use std::time::Duration;

/// The editor type, for `Plugin::Editor`.
pub type OctolaneEditor = EguiEditor<EditorApp>;

/// Frame interval while the window is open: the meter needs a steady refresh.
const REFRESH: Duration = Duration::from_millis(16);

/// Height of the title band.
const HEADER: f32 = 30.0;
/// Share of the width taken by the left (two-column) cards.
const LEFT_SHARE: f32 = 0.6;

/// A fresh window state at the editor's size. The plugin keeps one per instance and passes
/// it to [`create`]; nice-plug-egui updates it while the window is open.
pub fn default_state() -> Arc<EguiEditorState> {
    let (w, h) = theme::WINDOW_SIZE;
    EguiEditorState::from_size(LogicalSize::new(f64::from(w), f64::from(h)), 1.0)
}

/// Builds the editor. `meters` is read once per frame; `editor_state` holds the window size.
pub fn create(
    params: Arc<OctolaneParams>,
    meters: Arc<Meters>,
    telemetry: Arc<TelemetryFeed>,
    editor_state: Arc<EguiEditorState>,
) -> Option<OctolaneEditor> {
    create_egui_editor(
        editor_state,
        RepaintNotifier::new(),
        EguiNiceSettings::new().with_tile("Octolane"),
        EditorApp {
            params,
            meters,
            gui_context: None,
            entry: widgets::TextEntry::default(),
            meter: meter::MeterState::default(),
            telemetry,
            performance: performance::PerformanceView::default(),
            view: View::Synth,
            motion: motion_view::MotionView::default(),
        },
    )
}

/// The egui app behind the editor window.
pub struct EditorApp {
    params: Arc<OctolaneParams>,
    meters: Arc<Meters>,
    /// Set while the window is open; nice-plug hands it over in `build`.
    gui_context: Option<GuiContext>,
    entry: widgets::TextEntry,
    meter: meter::MeterState,
    /// Telemetry records from the audio thread, drained every frame.
    telemetry: Arc<TelemetryFeed>,
    performance: performance::PerformanceView,
    view: View,
    motion: motion_view::MotionView,
}

/// What the window shows below the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    /// The six parameter cards.
    Synth,
    /// The motion-lane editor.
    Motion,
    /// The Performance panel (DSP-load telemetry).
    Performance,
}

impl NiceEguiApp for EditorApp {
    fn build(
        &mut self,
        egui_ctx: egui::Context,
        nice_gui_ctx: GuiContext,
        _frame: &mut nice_plug_egui::Frame,
    ) -> Result<(), nice_plug_egui::baseview::HandlerError> {
        theme::apply(&egui_ctx);
        self.gui_context = Some(nice_gui_ctx);
        Ok(())
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut nice_plug_egui::Frame) {
        let Some(gui_context) = self.gui_context.clone() else {
            return;
        };
        ui.ctx().request_repaint_after(REFRESH);
        self.draw(ui, &gui_context.param_setter());
    }

    fn editor_closed(&mut self) {
        self.gui_context = None;
        self.entry = widgets::TextEntry::default();
    }
}

impl EditorApp {
    /// Draws one frame: samples the meters, then lays out the header and the cards.
    fn draw(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        let (left, right) = self.meters.take_peaks();
        let peaks = [left, right];
        self.meter.update(peaks, ui.input(|i| i.unstable_dt));

        let area = ui.max_rect();
        ui.painter().rect_filled(area, 0.0, theme::BACKGROUND);
        let grid = Grid::new(area);
        header(ui, grid.header);
        self.performance
            .update(&self.telemetry, self.params.performance());
        let readout = self.performance.readout();
        self.view = view_tabs(ui, grid.header, self.view, readout.as_deref());
        if self.view == View::Performance {
            let body = Rect::from_min_max(grid.cards[0][0].min, grid.cards[2][1].max);
            self.performance.show(ui, body, &self.params.performance);
            return;
        }
        if self.view == View::Motion {
            let body = Rect::from_min_max(grid.cards[0][0].min, grid.cards[2][1].max);
            let mut c = widgets::Controls {
                setter,
                entry: &mut self.entry,
                label_width: 0.0,
            };
            let p = &*self.params;
            self.motion.show(ui, body, &mut c, &p.motion, &p.lanes);
            return;
        }

        let p = &*self.params;
        let mut c = widgets::Controls {
            setter,
            entry: &mut self.entry,
            label_width: 0.0,
        };
        let [osc, filter] = grid.cards[0];
        card::show(ui, osc, "Oscillators", |ui| {
            panels::oscillators(ui, &mut c, &p.osc);
        });
        card::show(ui, filter, "Filter", |ui| {
            panels::filter(ui, &mut c, &p.filter);
        });
        let [env, lfo] = grid.cards[1];
        card::show(ui, env, "Envelopes", |ui| {
            panels::envelopes(ui, &mut c, &p.env);
        });
        card::show(ui, lfo, "LFO", |ui| panels::lfo(ui, &mut c, &p.lfo));
        let [voice, output] = grid.cards[2];
        card::show(ui, voice, "Voice", |ui| {
            panels::voice(ui, &mut c, &p.voice);
        });
        let meter_state = &mut self.meter;
        let meters = &*self.meters;
        card::show(ui, output, "Output", |ui| {
            panels::output(ui, &mut c, &p.output, &p.voice, meters, meter_state);
        });
    }
}

/// Where everything goes: the header band and a 3×2 grid of cards.
struct Grid {
    header: Rect,
    cards: [[Rect; 2]; 3],
}

impl Grid {
    /// Card heights needed by each grid row (the taller card of the pair sets it).
    fn row_heights() -> [f32; 3] {
        [
            card::height(panels::OSCILLATORS.max(panels::FILTER)),
            card::height(panels::ENVELOPES.max(panels::LFO)),
            card::height(panels::VOICE.max(panels::OUTPUT)),
        ]
    }

    /// Total height the layout needs.
    fn needed_height() -> f32 {
        let rows: f32 = Self::row_heights().iter().sum();
        theme::GAP + HEADER + 4.0 * theme::GAP + rows
    }

    fn new(area: Rect) -> Self {
        let gap = theme::GAP;
        let header = Rect::from_min_size(
            area.min + vec2(gap, gap),
            vec2(area.width() - 2.0 * gap, HEADER),
        );
        let width = area.width() - 3.0 * gap;
        let left_w = (width * LEFT_SHARE).round();
        let xs = [area.min.x + gap, area.min.x + 2.0 * gap + left_w];
        let ws = [left_w, width - left_w];
        // Spare height (if the window is larger than needed) is shared by the rows.
        let spare = ((area.height() - Self::needed_height()) / 3.0).max(0.0);
        let mut y = header.max.y + gap;
        let mut cards = [[Rect::NOTHING; 2]; 3];
        for (row, h) in Self::row_heights().into_iter().enumerate() {
            let h = h + spare;
            for col in 0..2 {
                cards[row][col] = Rect::from_min_size(pos2(xs[col], y), vec2(ws[col], h));
            }
            y += h + gap;
        }
        Self { header, cards }
    }
}

/// The view tabs at the right of the header (left of the version), with the load readout
/// before them while measuring; returns the view chosen this frame.
fn view_tabs(ui: &egui::Ui, header: Rect, view: View, readout: Option<&str>) -> View {
    const TAB: egui::Vec2 = vec2(104.0, 22.0);
    let right = header.max.x - 60.0;
    let y = header.center().y - TAB.y / 2.0;
    let mut chosen = view;
    let tabs = [
        (View::Synth, "Synth"),
        (View::Motion, "Motion"),
        (View::Performance, "Performance"),
    ];
    for (i, (tab, name)) in tabs.into_iter().enumerate() {
        let x = right - (3 - i) as f32 * (TAB.x + 4.0);
        let rect = Rect::from_min_size(pos2(x, y), TAB);
        if performance::toggle_button(ui, rect, name, view == tab) {
            chosen = tab;
        }
    }
    if let Some(text) = readout {
        ui.painter().text(
            pos2(right - 3.0 * (TAB.x + 4.0) - 10.0, header.center().y + 1.0),
            Align2::RIGHT_CENTER,
            text,
            theme::small_font(),
            theme::ACCENT,
        );
    }
    chosen
}

/// The title band: name on the left, version on the right.
fn header(ui: &egui::Ui, rect: Rect) {
    let painter = ui.painter();
    let name = painter.text(
        pos2(rect.min.x + 2.0, rect.center().y),
        Align2::LEFT_CENTER,
        "OCTOLANE",
        egui::FontId::proportional(20.0),
        theme::ACCENT,
    );
    painter.text(
        pos2(name.max.x + 12.0, rect.center().y + 2.0),
        Align2::LEFT_CENTER,
        "polyphonic synthesizer",
        theme::label_font(),
        theme::TEXT_MUTED,
    );
    painter.text(
        pos2(rect.max.x - 2.0, rect.center().y + 2.0),
        Align2::RIGHT_CENTER,
        concat!("v", env!("CARGO_PKG_VERSION")),
        theme::small_font(),
        theme::TEXT_MUTED,
    );
}

#[cfg(test)]
mod tests;
