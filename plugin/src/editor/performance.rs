//! The Performance view: the switch that turns callback telemetry on, a graph of the last
//! 10 seconds of DSP load, p50 / p99 / max load over the last second, the blocks over 80 % of
//! their budget since the switch went on, sounding voices and events per block.
//!
//! The switch is a persisted plugin field, not a host parameter, so it is flipped directly
//! (no host gesture). Records are drained every frame whichever view is shown, so the ring
//! never fills while the window is open.

use super::{card, theme};
use crate::telemetry_feed::TelemetryFeed;
use egui::{
    Align2, CornerRadius, Id, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Ui, pos2, vec2,
};
use octolane_dsp::load_history::{GRAPH_BINS, GRAPH_SECONDS, LoadHistory, OVER_BUDGET_LOAD};
use std::sync::atomic::{AtomicBool, Ordering};

/// Height of the switch row.
const SWITCH_HEIGHT: f32 = 26.0;
/// Width of the switch button.
const SWITCH_WIDTH: f32 = 150.0;
/// Height of the figures band under the graph.
const FIGURES_HEIGHT: f32 = 64.0;

/// The editor's aggregate of the telemetry it has received.
#[derive(Default)]
pub struct PerformanceView {
    history: LoadHistory,
    was_on: bool,
}

impl PerformanceView {
    /// Takes the records waiting in `feed`. Turning the switch on starts a fresh history (so
    /// the over-budget count is "since switch-on"); while off, stray records are discarded.
    pub fn update(&mut self, feed: &TelemetryFeed, on: bool) {
        if on && !self.was_on {
            self.history.reset();
        }
        self.was_on = on;
        feed.drain_into(&mut self.history);
        if !on {
            self.history.reset();
        }
    }

    /// Blocks aggregated since the switch went on.
    #[cfg(test)]
    pub fn blocks(&mut self) -> u64 {
        self.history.summary().blocks
    }

    /// A short header readout ("DSP 3.1 %"), while measuring.
    pub fn readout(&mut self) -> Option<String> {
        self.was_on.then(|| {
            let s = self.history.summary();
            format!("DSP {} p99", percent(s.p99))
        })
    }

    /// Draws the Performance card in `rect`; `switch` is the persisted on/off field.
    pub fn show(&mut self, ui: &mut Ui, rect: Rect, switch: &AtomicBool) {
        card::show(ui, rect, "Performance", |ui| {
            let area = ui.max_rect();
            let on = switch.load(Ordering::Relaxed);
            let button = Rect::from_min_size(area.min, vec2(SWITCH_WIDTH, SWITCH_HEIGHT));
            if toggle_button(ui, button, "Measure DSP load", on) {
                switch.store(!on, Ordering::Relaxed);
            }
            ui.painter().text(
                pos2(button.max.x + 14.0, button.center().y),
                Align2::LEFT_CENTER,
                "Times every audio callback. Off: the audio thread reads no clock. \
                 Saved with the project.",
                theme::label_font(),
                theme::TEXT_MUTED,
            );
            let graph = Rect::from_min_max(
                pos2(area.min.x, button.max.y + theme::GAP),
                pos2(area.max.x, area.max.y - FIGURES_HEIGHT - theme::GAP),
            );
            self.graph(ui, graph, on);
            let figures = Rect::from_min_max(pos2(area.min.x, graph.max.y + theme::GAP), area.max);
            self.figures(ui, figures, on);
        });
    }

    fn graph(&self, ui: &Ui, rect: Rect, on: bool) {
        let painter = ui.painter();
        theme::inset(painter, rect, theme::RADIUS, StrokeKind::Inside);
        let plot = rect.shrink2(vec2(44.0, 14.0));
        let points: Vec<f32> = self.history.graph().collect();
        let peak = points.iter().copied().fold(0.0f32, f32::max);
        let top = scale_top(peak);
        let y_of = |load: f32| plot.max.y - (load / top).clamp(0.0, 1.0) * plot.height();
        for i in 0..=4 {
            let load = top * i as f32 / 4.0;
            let y = y_of(load);
            painter.line_segment(
                [pos2(plot.min.x, y), pos2(plot.max.x, y)],
                Stroke::new(1.0, theme::CARD_STROKE),
            );
            painter.text(
                pos2(plot.min.x - 6.0, y),
                Align2::RIGHT_CENTER,
                percent(load),
                theme::small_font(),
                theme::TEXT_MUTED,
            );
        }
        if OVER_BUDGET_LOAD <= top {
            let y = y_of(OVER_BUDGET_LOAD);
            painter.line_segment(
                [pos2(plot.min.x, y), pos2(plot.max.x, y)],
                Stroke::new(1.0, theme::METER_HOT),
            );
        }
        painter.text(
            pos2(plot.min.x, rect.max.y - 3.0),
            Align2::LEFT_BOTTOM,
            format!("−{GRAPH_SECONDS:.0} s"),
            theme::small_font(),
            theme::TEXT_MUTED,
        );
        painter.text(
            pos2(plot.max.x, rect.max.y - 3.0),
            Align2::RIGHT_BOTTOM,
            "now",
            theme::small_font(),
            theme::TEXT_MUTED,
        );
        if !on {
            painter.text(
                plot.center(),
                Align2::CENTER_CENTER,
                "Switch on to measure the DSP load",
                theme::label_font(),
                theme::TEXT_MUTED,
            );
            return;
        }
        // The newest point sits at the right edge; the graph fills in from there.
        let step = plot.width() / (GRAPH_BINS - 1) as f32;
        let first = GRAPH_BINS.saturating_sub(points.len());
        let line: Vec<Pos2> = points
            .iter()
            .enumerate()
            .map(|(i, &load)| pos2(plot.min.x + (first + i) as f32 * step, y_of(load)))
            .collect();
        if line.len() >= 2 {
            painter.add(Shape::line(line, Stroke::new(1.5, theme::ACCENT)));
        }
    }

    fn figures(&mut self, ui: &Ui, rect: Rect, on: bool) {
        let s = self.history.summary();
        let dash = |text: String| if on { text } else { "–".to_string() };
        let items = [
            ("p50 load, last 1 s", dash(percent(s.p50))),
            ("p99 load, last 1 s", dash(percent(s.p99))),
            ("max load, last 1 s", dash(percent(s.max))),
            (
                "blocks over 80 %",
                dash(format!("{} / {}", s.over_budget, s.blocks)),
            ),
            ("sounding voices", dash(s.voices.to_string())),
            (
                "events per block",
                dash(format!("{:.1}", s.events_per_block)),
            ),
            ("records dropped", dash(s.dropped.to_string())),
        ];
        let width = rect.width() / items.len() as f32;
        let painter = ui.painter();
        for (i, (label, value)) in items.iter().enumerate() {
            let x = rect.min.x + i as f32 * width;
            painter.text(
                pos2(x + 2.0, rect.min.y + 4.0),
                Align2::LEFT_TOP,
                *label,
                theme::small_font(),
                theme::TEXT_MUTED,
            );
            let colour = if label.starts_with("blocks over") && s.over_budget > 0 {
                theme::METER_HOT
            } else {
                theme::TEXT
            };
            painter.text(
                pos2(x + 2.0, rect.min.y + 24.0),
                Align2::LEFT_TOP,
                value,
                egui::FontId::monospace(18.0),
                colour,
            );
        }
    }
}

/// An on/off button; returns whether it was clicked this frame.
pub fn toggle_button(ui: &Ui, rect: Rect, text: &str, on: bool) -> bool {
    let response = ui.interact(rect, Id::unique(("octolane-toggle", text)), Sense::click());
    let (fill, colour) = match (on, response.hovered()) {
        (true, false) => (theme::ACCENT, theme::ON_ACCENT),
        (true, true) => (theme::ACCENT_BRIGHT, theme::ON_ACCENT),
        (false, false) => (theme::INSET, theme::TEXT_MUTED),
        (false, true) => (theme::INSET_HOVER, theme::TEXT),
    };
    let painter = ui.painter();
    painter.rect(
        rect,
        CornerRadius::same(theme::RADIUS),
        fill,
        Stroke::new(1.0, if on { fill } else { theme::LINE }),
        StrokeKind::Inside,
    );
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        text,
        theme::label_font(),
        colour,
    );
    response.clicked()
}

/// A load as a percentage with sensible precision.
fn percent(load: f32) -> String {
    let p = load * 100.0;
    if p < 10.0 {
        format!("{p:.2} %")
    } else {
        format!("{p:.0} %")
    }
}

/// The graph's full scale: the smallest of 1 %, 2 %, 5 %, 10 %, … 1000 % that holds `peak`.
fn scale_top(peak: f32) -> f32 {
    const SCALES: [f32; 10] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];
    SCALES.into_iter().find(|&top| peak <= top).unwrap_or(10.0)
}

#[cfg(test)]
mod tests {
    use super::scale_top;

    #[test]
    fn the_graph_scale_holds_the_peak() {
        assert_eq!(scale_top(0.0), 0.01);
        assert_eq!(scale_top(0.015), 0.02);
        assert_eq!(scale_top(0.3), 0.5);
        assert_eq!(scale_top(0.9), 1.0);
        assert_eq!(scale_top(1.3), 2.0);
    }
}
