//! Cards: the framed, headed panels the editor's grid is made of, and their inner columns.

use super::theme;
use egui::text::LayoutJob;
use egui::{
    Align, Color32, CornerRadius, FontId, Layout, Rect, Stroke, StrokeKind, TextFormat, Ui,
    UiBuilder, pos2, vec2,
};

/// Padding inside a card.
pub const PADDING: f32 = 14.0;
/// Height of a card's heading band, including the space under it.
pub const HEADING: f32 = 30.0;
/// Height of a column sub-heading ("OSC 1", "AMP"), including the space under it.
pub const SUBHEADING: f32 = 18.0;
/// Space between columns inside a card.
pub const COLUMN_GAP: f32 = 24.0;
/// Height of a separator between a card's columns and a full-width strip below them.
pub const SEPARATOR: f32 = 11.0;

/// Height of a card whose content is `content` points tall.
pub const fn height(content: f32) -> f32 {
    PADDING + HEADING + content + PADDING
}

/// Height of `rows` control rows stacked with the standard gap.
pub const fn rows(rows: u32) -> f32 {
    let n = rows as f32;
    n * theme::ROW_HEIGHT + (n - 1.0) * theme::ROW_GAP
}

/// Paints a card in `rect` titled `title`, and runs `add` in a top-down child `Ui` that
/// covers the card's content area.
pub fn show(ui: &mut Ui, rect: Rect, title: &str, add: impl FnOnce(&mut Ui)) {
    let painter = ui.painter();
    painter.rect(
        rect,
        CornerRadius::same(theme::CARD_RADIUS),
        theme::CARD,
        Stroke::new(1.0, theme::CARD_STROKE),
        StrokeKind::Inside,
    );
    let title_pos = pos2(rect.min.x + PADDING, rect.min.y + PADDING - 2.0);
    let title_rect = spaced(
        painter,
        title_pos,
        title,
        theme::heading_font(),
        theme::ACCENT,
    );
    // A hairline from the title to the card's edge gives every card the same top rule.
    let y = title_rect.center().y;
    painter.line_segment(
        [
            pos2(title_rect.max.x + 10.0, y),
            pos2(rect.max.x - PADDING, y),
        ],
        Stroke::new(1.0, theme::LINE),
    );
    let content = Rect::from_min_max(
        pos2(rect.min.x + PADDING, rect.min.y + PADDING + HEADING),
        pos2(rect.max.x - PADDING, rect.max.y - PADDING),
    );
    let mut child = ui.new_child(
        UiBuilder::new()
            .id_salt(title)
            .max_rect(content)
            .layout(Layout::top_down(Align::Min)),
    );
    add(&mut child);
}

/// Paints upper-case, letter-spaced text with its top-left at `pos`; returns its rect.
fn spaced(
    painter: &egui::Painter,
    pos: egui::Pos2,
    text: &str,
    font: FontId,
    colour: Color32,
) -> Rect {
    let mut job = LayoutJob::default();
    job.append(
        &text.to_uppercase(),
        0.0,
        TextFormat {
            font_id: font,
            extra_letter_spacing: 1.2,
            color: colour,
            ..TextFormat::default()
        },
    );
    let galley = painter.layout_job(job);
    let rect = Rect::from_min_size(pos, galley.size());
    painter.galley(pos, galley, colour);
    rect
}

/// Splits the remaining width into `n` equal columns of `height` points and runs `add` in
/// each; the parent's cursor moves below them.
pub fn columns(ui: &mut Ui, n: usize, height: f32, mut add: impl FnMut(usize, &mut Ui)) {
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(vec2(width, height), egui::Sense::hover());
    let col_w = (width - COLUMN_GAP * (n as f32 - 1.0)) / n as f32;
    for i in 0..n {
        let x = rect.min.x + i as f32 * (col_w + COLUMN_GAP);
        let col = Rect::from_min_size(pos2(x, rect.min.y), vec2(col_w, height));
        let mut child = ui.new_child(
            UiBuilder::new()
                .id_salt(("column", i))
                .max_rect(col)
                .layout(Layout::top_down(Align::Min)),
        );
        add(i, &mut child);
    }
}

/// A small muted sub-heading over a column.
pub fn subheading(ui: &mut Ui, text: &str) {
    let (rect, _) = ui.allocate_exact_size(
        vec2(ui.available_width(), SUBHEADING - theme::ROW_GAP),
        egui::Sense::hover(),
    );
    spaced(
        ui.painter(),
        rect.min,
        text,
        theme::small_font(),
        theme::TEXT,
    );
}

/// A hairline across the card between its columns and a full-width strip.
pub fn separator(ui: &mut Ui) {
    let (rect, _) = ui.allocate_exact_size(
        vec2(ui.available_width(), SEPARATOR - theme::ROW_GAP),
        egui::Sense::hover(),
    );
    let y = rect.center().y;
    ui.painter().line_segment(
        [pos2(rect.min.x, y), pos2(rect.max.x, y)],
        Stroke::new(1.0, theme::LINE),
    );
}
