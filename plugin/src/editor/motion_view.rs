//! The Motion view: pick a lane, set its parameters, and draw its curve.
//!
//! On the canvas: click to add a point, drag a point to move it, double-click or right-click a
//! point to delete it, drag a segment up or down to bend it. Points snap to the grid (1/4 …
//! 1/64 beat, or off); the wheel scrolls and the zoom buttons zoom. The playhead and the
//! current value come from atomics the audio thread writes. Every edit sends a new immutable
//! snapshot to the audio thread (`LaneStore::set_curve`).

use super::card;
use super::lane_shapes::{self, SHAPES};
use super::performance::toggle_button;
use super::theme;
use super::widgets::{Controls, Fill};
use crate::lanes::LaneStore;
use crate::params::MotionParams;
use egui::{Align2, Color32, Id, Pos2, Rect, Sense, Stroke, Ui, pos2, vec2};
use octolane_dsp::motion::{Curve, LaneCurve, LanePoint, MAX_POINTS};
use std::sync::atomic::Ordering;

/// Grid divisions in beats (0 = off), with labels.
const SNAPS: [(&str, f64); 5] = [
    ("1/4", 1.0),
    ("1/16", 0.25),
    ("1/32", 0.125),
    ("1/64", 0.0625),
    ("Off", 0.0),
];
const ZOOMS: [f32; 4] = [1.0, 2.0, 4.0, 8.0];
const HIT: f32 = 7.0;

/// What a drag is doing.
#[derive(Clone, Copy, Debug)]
enum Drag {
    Point(usize),
    Bend { point: usize, start: f32 },
}

/// The Motion view's own state.
pub struct MotionView {
    lane: usize,
    snap: usize,
    zoom: usize,
    offset: f64,
    points: Vec<LanePoint>,
    revision: u64,
    drag: Option<Drag>,
    seed: u32,
}

impl Default for MotionView {
    fn default() -> Self {
        Self {
            lane: 0,
            snap: 1,
            zoom: 0,
            offset: 0.0,
            points: Vec::new(),
            revision: u64::MAX,
            drag: None,
            seed: 0x5EED,
        }
    }
}

impl MotionView {
    /// Draws the view into `body`.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        body: Rect,
        c: &mut Controls,
        m: &MotionParams,
        store: &LaneStore,
    ) {
        store.pump();
        let revision = store.revision.load(Ordering::Relaxed);
        if self.drag.is_none() && (revision != self.revision || self.points.is_empty()) {
            self.points = store.curve(self.lane).points().to_vec();
            self.revision = revision;
        }
        let side = Rect::from_min_size(body.min, vec2(300.0, body.height()));
        let canvas_card = Rect::from_min_max(pos2(side.max.x + theme::GAP, body.min.y), body.max);
        let lane = m.lanes()[self.lane];
        let length = lane.length.value().beats();
        card::show(ui, side, "Motion Lanes", |ui| {
            c.label_width = 74.0;
            let (row, _) = ui.allocate_exact_size(vec2(ui.available_width(), 24.0), Sense::hover());
            let w = (row.width() - 7.0 * 4.0) / 8.0;
            for i in 0..8 {
                let r = Rect::from_min_size(
                    pos2(row.min.x + i as f32 * (w + 4.0), row.min.y),
                    vec2(w, 22.0),
                );
                if toggle_button(ui, r, &format!("{}", i + 1), i == self.lane) && i != self.lane {
                    self.lane = i;
                    self.points = store.curve(i).points().to_vec();
                    self.offset = 0.0;
                }
            }
            ui.add_space(theme::ROW_GAP * 2.0);
            c.toggles(ui, "Lane", &[("Enabled", &lane.enable)]);
            c.menu(ui, "Destination", &lane.dest);
            c.slider(ui, "Depth", &lane.depth, Fill::Centre);
            c.menu(ui, "Length", &lane.length);
            c.segmented(ui, "Sync", &lane.sync);
            card::separator(ui);
            card::subheading(ui, "Shapes");
            if let Some(shape) = button_row(ui, &SHAPES.map(|(l, s)| (l, s)), None) {
                self.seed = self
                    .seed
                    .wrapping_mul(747_796_405)
                    .wrapping_add(2_891_336_453);
                self.points = lane_shapes::points(shape, length, self.seed);
                self.commit(store);
            }
            card::subheading(ui, "Snap");
            if let Some(i) = button_row(
                ui,
                &SNAPS.map(|(l, _)| l).map(|l| (l, l)),
                Some(SNAPS[self.snap].0),
            ) {
                self.snap = SNAPS.iter().position(|(l, _)| *l == i).unwrap_or(1);
            }
            card::subheading(ui, "Zoom");
            let zooms = ["×1", "×2", "×4", "×8"];
            if let Some(z) = button_row(ui, &zooms.map(|l| (l, l)), Some(zooms[self.zoom])) {
                self.zoom = zooms.iter().position(|l| *l == z).unwrap_or(0);
                self.offset = 0.0;
            }
            card::separator(ui);
            for line in [
                "Click: add a point    Drag: move it",
                "Double- or right-click: delete it",
                "Drag a segment up or down: bend it",
                "Wheel: scroll when zoomed in",
            ] {
                ui.label(
                    egui::RichText::new(line)
                        .font(theme::small_font())
                        .color(theme::TEXT_MUTED),
                );
            }
        });
        let head = &store.playheads[self.lane];
        let value = head.value.load(Ordering::Relaxed);
        let title = format!(
            "Lane {}  ·  {}  ·  value {:.2}",
            self.lane + 1,
            lane.dest,
            value
        );
        card::show(ui, canvas_card, &title, |ui| {
            let rect = ui.available_rect_before_wrap();
            self.canvas(
                ui,
                rect,
                length,
                head.fraction.load(Ordering::Relaxed),
                value,
                store,
            );
        });
    }

    fn commit(&mut self, store: &LaneStore) {
        self.points.sort_by(|a, b| a.beat.total_cmp(&b.beat));
        if let Ok(curve) = LaneCurve::new(self.points.clone()) {
            store.set_curve(self.lane, curve);
            self.revision = store.revision.load(Ordering::Relaxed);
        }
    }

    fn canvas(
        &mut self,
        ui: &mut Ui,
        rect: Rect,
        length: f64,
        playhead: f32,
        value: f32,
        store: &LaneStore,
    ) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, theme::RADIUS, theme::INSET);
        let visible = length / f64::from(ZOOMS[self.zoom]);
        self.offset = self.offset.clamp(0.0, (length - visible).max(0.0));
        let (x0, offset) = (rect.min.x, self.offset);
        let to_x = move |beat: f64| x0 + ((beat - offset) / visible) as f32 * rect.width();
        let to_y = |v: f32| rect.max.y - 6.0 - v * (rect.height() - 12.0);
        let to_beat = |x: f32| offset + f64::from((x - rect.min.x) / rect.width()) * visible;
        let to_value = |y: f32| ((rect.max.y - 6.0 - y) / (rect.height() - 12.0)).clamp(0.0, 1.0);

        // Grid: snap lines faint, beats stronger, bars strongest.
        let step = match SNAPS[self.snap].1 {
            s if s > 0.0 => s,
            _ => 0.25,
        };
        let mut step = step.max(visible / 128.0);
        while visible / step > 128.0 {
            step *= 2.0;
        }
        let mut b = (offset / step).ceil() * step;
        while b <= offset + visible {
            let colour = if (b % 4.0).abs() < 1e-9 {
                theme::TEXT_MUTED
            } else if (b % 1.0).abs() < 1e-9 {
                theme::LINE
            } else {
                Color32::from_rgb(0x22, 0x26, 0x2f)
            };
            painter.vline(to_x(b), rect.y_range(), Stroke::new(1.0, colour));
            b += step;
        }
        for v in [0.25, 0.5, 0.75] {
            painter.hline(
                rect.x_range(),
                to_y(v),
                Stroke::new(1.0, Color32::from_rgb(0x22, 0x26, 0x2f)),
            );
        }

        // The curve, evaluated exactly as the engine does.
        let curve = LaneCurve::new(self.points.clone()).unwrap_or_default();
        let mut cursor = octolane_dsp::motion::LaneCursor::new(&curve, length);
        let samples = (rect.width() / 2.0) as usize;
        let line: Vec<Pos2> = (0..=samples)
            .map(|i| {
                let beat = offset + visible * i as f64 / samples as f64;
                pos2(
                    to_x(beat),
                    to_y(cursor.value_at(&curve, beat.min(length - 1e-9))),
                )
            })
            .collect();
        painter.add(egui::Shape::line(line, Stroke::new(2.0, theme::ACCENT)));
        for p in curve.points().iter().filter(|p| p.beat < length) {
            painter.circle(
                pos2(to_x(p.beat), to_y(p.value)),
                4.0,
                theme::ACCENT_BRIGHT,
                Stroke::new(1.0, theme::ON_ACCENT),
            );
        }
        // Playhead and the value the audio thread last used.
        let beat = f64::from(playhead) * length;
        if (offset..=offset + visible).contains(&beat) {
            let x = to_x(beat);
            painter.vline(x, rect.y_range(), Stroke::new(1.5, theme::METER_HOT));
            painter.circle_filled(pos2(x, to_y(value)), 5.0, theme::METER_HOT);
        }
        painter.text(
            rect.left_top() + vec2(6.0, 4.0),
            Align2::LEFT_TOP,
            format!("{:.2} … {:.2} beats", offset, offset + visible),
            theme::small_font(),
            theme::TEXT_MUTED,
        );

        let response = ui.interact(
            rect,
            Id::unique("octolane-lane-canvas"),
            Sense::click_and_drag(),
        );
        let near = |pos: Pos2, points: &[LanePoint]| {
            points.iter().position(|p| {
                p.beat < length && pos.distance(pos2(to_x(p.beat), to_y(p.value))) <= HIT
            })
        };
        let grid = SNAPS[self.snap].1;
        let snap = move |beat: f64| match grid {
            s if s > 0.0 => (beat / s).round() * s,
            _ => beat,
        };
        if response.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y + i.smooth_scroll_delta.x);
            if scroll != 0.0 {
                self.offset -= f64::from(scroll / rect.width()) * visible;
            }
        }
        let pointer = response.interact_pointer_pos().or(response.hover_pos());
        let Some(pos) = pointer else { return };
        let hit = near(pos, &self.points);
        if response.double_clicked() || response.secondary_clicked() {
            if let Some(i) = hit
                && self.points.len() > 1
            {
                self.points.remove(i);
                self.commit(store);
            }
        } else if response.clicked() && hit.is_none() && self.points.len() < MAX_POINTS {
            let beat = snap(to_beat(pos.x)).clamp(0.0, length - 1e-6);
            self.points
                .push(LanePoint::new(beat, to_value(pos.y), Curve::Linear));
            self.commit(store);
        }
        if response.drag_started() {
            self.drag = match hit {
                Some(i) => Some(Drag::Point(i)),
                None => {
                    let beat = to_beat(pos.x);
                    let i = self
                        .points
                        .iter()
                        .rposition(|p| p.beat <= beat)
                        .unwrap_or(self.points.len() - 1);
                    let start = match self.points[i].curve {
                        Curve::Curved(t) => t,
                        _ => 0.0,
                    };
                    Some(Drag::Bend { point: i, start })
                }
            };
        }
        if response.dragged() {
            match self.drag {
                Some(Drag::Point(i)) if i < self.points.len() => {
                    let lo = if i == 0 { 0.0 } else { self.points[i - 1].beat };
                    let hi = self.points.get(i + 1).map_or(length - 1e-6, |p| p.beat);
                    self.points[i].beat = snap(to_beat(pos.x)).clamp(lo, hi);
                    self.points[i].value = to_value(pos.y);
                    self.commit(store);
                }
                Some(Drag::Bend { point, start }) if point < self.points.len() => {
                    let moved = response.total_drag_delta().map_or(0.0, |d| d.y);
                    let next = self
                        .points
                        .get(point + 1)
                        .map_or(self.points[0].value, |p| p.value);
                    // Dragging up bulges the segment up, whichever way it runs.
                    let sign = if next >= self.points[point].value {
                        1.0
                    } else {
                        -1.0
                    };
                    let tension = (start + sign * moved / 120.0).clamp(-1.0, 1.0);
                    self.points[point].curve = Curve::Curved(tension);
                    self.commit(store);
                }
                _ => {}
            }
        }
        if response.drag_stopped() {
            self.drag = None;
        }
    }
}

/// A row of equal buttons; returns the label clicked. `on` marks the selected one.
fn button_row<T: Copy>(ui: &mut Ui, items: &[(&str, T)], on: Option<&str>) -> Option<T> {
    let (row, _) = ui.allocate_exact_size(vec2(ui.available_width(), 22.0), Sense::hover());
    let n = items.len() as f32;
    let w = (row.width() - (n - 1.0) * 4.0) / n;
    let mut clicked = None;
    for (i, (label, value)) in items.iter().enumerate() {
        let r = Rect::from_min_size(
            pos2(row.min.x + i as f32 * (w + 4.0), row.min.y),
            vec2(w, 22.0),
        );
        if toggle_button(ui, r, label, on == Some(*label)) {
            clicked = Some(*value);
        }
    }
    ui.add_space(theme::ROW_GAP);
    clicked
}
