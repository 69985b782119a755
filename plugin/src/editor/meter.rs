//! The output level meter: L/R peak bars on a dB scale with peak-hold markers.
//!
//! The audio thread publishes one peak per block in `Meters`; the editor samples it once per
//! frame and applies meter ballistics here (instant rise, steady fall, held peaks), so the
//! bars read calmly whatever the block size.

use super::theme;
use egui::{Align2, Color32, CornerRadius, Id, Rect, Sense, Stroke, StrokeKind, Ui, pos2, vec2};

/// Bottom of the scale.
const FLOOR_DB: f32 = -60.0;
/// Top of the scale (the gain parameter allows +6 dB).
const CEILING_DB: f32 = 6.0;
/// Above this the bar turns amber.
const HOT_DB: f32 = -12.0;
/// At or above this the bar turns red.
const CLIP_DB: f32 = 0.0;
/// Fall rate of the bars.
const FALL_DB_PER_S: f32 = 30.0;
/// How long a peak marker holds before it falls.
const HOLD_S: f32 = 1.5;
/// Scale marks.
const TICKS_DB: [f32; 7] = [-48.0, -36.0, -24.0, -12.0, -6.0, 0.0, 6.0];

/// Per-channel display state, kept by the editor between frames.
pub struct MeterState {
    level_db: [f32; 2],
    hold_db: [f32; 2],
    hold_age_s: [f32; 2],
}

impl Default for MeterState {
    fn default() -> Self {
        Self {
            level_db: [FLOOR_DB; 2],
            hold_db: [FLOOR_DB; 2],
            hold_age_s: [0.0; 2],
        }
    }
}

/// Linear peak → dBFS, with silence and garbage at the floor.
fn to_db(peak: f32) -> f32 {
    if peak.is_finite() && peak > 0.0 {
        (20.0 * peak.log10()).max(FLOOR_DB)
    } else {
        FLOOR_DB
    }
}

impl MeterState {
    /// Feeds this frame's linear peaks; `dt_s` is the time since the previous frame.
    pub fn update(&mut self, peaks: [f32; 2], dt_s: f32) {
        let dt_s = dt_s.clamp(0.0, 0.25);
        for (ch, peak) in peaks.into_iter().enumerate() {
            let db = to_db(peak);
            let fallen = self.level_db[ch] - FALL_DB_PER_S * dt_s;
            self.level_db[ch] = db.max(fallen).max(FLOOR_DB);
            self.hold_age_s[ch] += dt_s;
            if db >= self.hold_db[ch] {
                self.hold_db[ch] = db;
                self.hold_age_s[ch] = 0.0;
            } else if self.hold_age_s[ch] > HOLD_S {
                self.hold_db[ch] = (self.hold_db[ch] - FALL_DB_PER_S * dt_s).max(FLOOR_DB);
            }
        }
    }

    /// The higher of the two held peaks, in dBFS.
    pub fn held_db(&self) -> f32 {
        self.hold_db[0].max(self.hold_db[1])
    }

    /// Forgets the held peaks (click on the meter).
    pub fn reset_hold(&mut self) {
        self.hold_db = self.level_db;
        self.hold_age_s = [0.0; 2];
    }
}

/// Colour of a level on the scale.
fn zone_colour(db: f32) -> Color32 {
    if db >= CLIP_DB {
        theme::METER_CLIP
    } else if db >= HOT_DB {
        theme::METER_HOT
    } else {
        theme::METER_OK
    }
}

/// Text for a held peak: "-6.2 dB", or "-inf" at the floor.
pub fn held_text(db: f32) -> String {
    if db <= FLOOR_DB {
        "-inf dB".to_string()
    } else {
        format!("{db:+.1} dB")
    }
}

/// Draws both bars and the scale into `rect`; returns true when the user clicked it.
pub fn draw(ui: &mut Ui, rect: Rect, state: &MeterState) -> bool {
    let response = ui
        .interact(rect, Id::unique("octolane-output-meter"), Sense::click())
        .on_hover_text("Output peak, dBFS. Click to reset the held peaks.");
    let painter = ui.painter();
    let letter_w = 14.0;
    let bars = Rect::from_min_max(pos2(rect.min.x + letter_w, rect.min.y), rect.max);
    let bar_h = 9.0;
    let x_at = |db: f32| {
        let t = ((db - FLOOR_DB) / (CEILING_DB - FLOOR_DB)).clamp(0.0, 1.0);
        bars.min.x + t * bars.width()
    };
    for (ch, letter) in ["L", "R"].iter().enumerate() {
        let y = rect.min.y + ch as f32 * (bar_h + 3.0);
        let bar = Rect::from_min_size(pos2(bars.min.x, y), vec2(bars.width(), bar_h));
        painter.text(
            pos2(rect.min.x, bar.center().y),
            Align2::LEFT_CENTER,
            letter,
            theme::small_font(),
            theme::TEXT_MUTED,
        );
        theme::inset(painter, bar, 2, StrokeKind::Outside);
        // The bar is drawn zone by zone so its colour tells where the level has been.
        let level = state.level_db[ch];
        let zones = [
            (FLOOR_DB, HOT_DB, theme::METER_OK),
            (HOT_DB, CLIP_DB, theme::METER_HOT),
            (CLIP_DB, CEILING_DB, theme::METER_CLIP),
        ];
        for (lo, hi, colour) in zones {
            if level > lo {
                let seg =
                    Rect::from_min_max(pos2(x_at(lo), y), pos2(x_at(level.min(hi)), y + bar_h));
                painter.rect_filled(seg, CornerRadius::ZERO, colour);
            }
        }
        let hold = state.hold_db[ch];
        if hold > FLOOR_DB {
            let x = x_at(hold);
            painter.line_segment(
                [pos2(x, y), pos2(x, y + bar_h)],
                Stroke::new(2.0, zone_colour(hold)),
            );
        }
    }
    // Scale: tick marks through both bars and labels underneath.
    let scale_y = rect.min.y + 2.0 * bar_h + 3.0 + 2.0;
    for db in TICKS_DB {
        let x = x_at(db);
        painter.line_segment(
            [pos2(x, rect.min.y), pos2(x, scale_y - 2.0)],
            Stroke::new(1.0, theme::BACKGROUND.gamma_multiply(0.8)),
        );
        let text = if db > 0.0 {
            format!("+{db:.0}")
        } else {
            format!("{db:.0}")
        };
        let anchor = if db >= CEILING_DB {
            Align2::RIGHT_TOP
        } else {
            Align2::CENTER_TOP
        };
        painter.text(
            pos2(x, scale_y),
            anchor,
            text,
            theme::small_font(),
            theme::TEXT_MUTED,
        );
    }
    response.clicked()
}

/// Height `draw` needs.
pub const HEIGHT: f32 = 2.0 * 9.0 + 3.0 + 2.0 + 12.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballistics_rise_at_once_fall_steadily_and_hold() {
        let mut m = MeterState::default();
        m.update([1.0, 0.5], 0.016);
        assert!((m.level_db[0] - 0.0).abs() < 1e-4);
        assert!((m.level_db[1] + 6.0206).abs() < 1e-3);
        m.update([0.0, 0.0], 0.1);
        assert!((m.level_db[0] + 3.0).abs() < 1e-3, "{}", m.level_db[0]);
        assert_eq!(m.held_db(), 0.0);
        for _ in 0..200 {
            m.update([0.0, 0.0], 0.02);
        }
        assert_eq!(m.level_db, [FLOOR_DB; 2]);
        assert_eq!(m.held_db(), FLOOR_DB);
        m.update([f32::NAN, f32::INFINITY], 0.02);
        assert_eq!(m.level_db, [FLOOR_DB; 2]);
        assert_eq!(held_text(FLOOR_DB), "-inf dB");
        assert_eq!(held_text(-6.24), "-6.2 dB");
    }
}
