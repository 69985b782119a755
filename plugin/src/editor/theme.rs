//! Colours, type sizes and metrics: the one place the editor's look is decided.

use egui::{
    Color32, CornerRadius, FontFamily, FontId, Painter, Rect, Stroke, StrokeKind, TextStyle, Theme,
    Visuals,
};

/// Window background.
pub const BACKGROUND: Color32 = Color32::from_rgb(0x12, 0x14, 0x19);
/// Card (section panel) fill.
pub const CARD: Color32 = Color32::from_rgb(0x1b, 0x1e, 0x25);
/// Card outline.
pub const CARD_STROKE: Color32 = Color32::from_rgb(0x2a, 0x2f, 0x3a);
/// Recessed areas inside a card: slider tracks, value boxes, unselected segments.
pub const INSET: Color32 = Color32::from_rgb(0x11, 0x13, 0x18);
/// Inset under the pointer.
pub const INSET_HOVER: Color32 = Color32::from_rgb(0x23, 0x27, 0x30);
/// Primary text (values).
pub const TEXT: Color32 = Color32::from_rgb(0xdc, 0xe0, 0xe8);
/// Secondary text (control labels, scale marks).
pub const TEXT_MUTED: Color32 = Color32::from_rgb(0x8b, 0x92, 0xa3);
/// Faint lines: centre marks, scale ticks, separators.
pub const LINE: Color32 = Color32::from_rgb(0x34, 0x3a, 0x47);
/// The accent: headings, slider fills, the selected choice.
pub const ACCENT: Color32 = Color32::from_rgb(0x3e, 0xc7, 0xb4);
/// Accent while hovered or dragged.
pub const ACCENT_BRIGHT: Color32 = Color32::from_rgb(0x6f, 0xe3, 0xd2);
/// Dark text drawn on top of the accent.
pub const ON_ACCENT: Color32 = Color32::from_rgb(0x0c, 0x1f, 0x1c);
/// Meter: safe level.
pub const METER_OK: Color32 = Color32::from_rgb(0x52, 0xc4, 0x6b);
/// Meter: hot level (above −12 dBFS).
pub const METER_HOT: Color32 = Color32::from_rgb(0xe3, 0xb3, 0x41);
/// Meter: at or above full scale.
pub const METER_CLIP: Color32 = Color32::from_rgb(0xe5, 0x53, 0x4b);

/// Logical window size; fits a 1280×800 screen with room for a host's window chrome.
pub const WINDOW_SIZE: (u32, u32) = (1100, 720);
/// Gap between cards and around the window edge.
pub const GAP: f32 = 12.0;
/// Height of one control row.
pub const ROW_HEIGHT: f32 = 20.0;
/// Vertical space between control rows.
pub const ROW_GAP: f32 = 4.0;
/// Height of a slider track inside its row.
pub const TRACK_HEIGHT: f32 = 12.0;
/// Width of the value box at the right of every slider row.
pub const VALUE_WIDTH: f32 = 78.0;
/// Horizontal gap between a row's label, control and value.
pub const INNER_GAP: f32 = 8.0;
/// Corner radius of cards.
pub const CARD_RADIUS: u8 = 6;
/// Corner radius of tracks, boxes and buttons.
pub const RADIUS: u8 = 3;

/// Font for card headings.
/// Paint a recessed well (value boxes, graphs, meter tracks): inset fill, one-pixel line.
pub fn inset(painter: &Painter, rect: Rect, radius: u8, kind: StrokeKind) {
    painter.rect(
        rect,
        CornerRadius::same(radius),
        INSET,
        Stroke::new(1.0, LINE),
        kind,
    );
}

pub fn heading_font() -> FontId {
    FontId::new(13.0, FontFamily::Proportional)
}

/// Font for control labels.
pub fn label_font() -> FontId {
    FontId::new(12.5, FontFamily::Proportional)
}

/// Font for values, so digits line up.
pub fn value_font() -> FontId {
    FontId::new(11.5, FontFamily::Monospace)
}

/// Font for small print (sub-headings, meter scale).
pub fn small_font() -> FontId {
    FontId::new(10.5, FontFamily::Proportional)
}

/// Installs the dark theme on the context; called once when the window opens.
pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(Theme::Dark);
    ctx.style_mut_of(Theme::Dark, |style| {
        style.visuals = visuals();
        style.text_styles.insert(TextStyle::Body, label_font());
        style.text_styles.insert(TextStyle::Button, label_font());
        style.text_styles.insert(TextStyle::Monospace, value_font());
        style.text_styles.insert(TextStyle::Small, small_font());
        style.spacing.item_spacing = egui::vec2(6.0, ROW_GAP);
        style.spacing.button_padding = egui::vec2(6.0, 2.0);
        style.spacing.interact_size.y = ROW_HEIGHT;
    });
}

fn visuals() -> Visuals {
    let mut v = Visuals::dark();
    v.panel_fill = BACKGROUND;
    v.window_fill = CARD;
    v.window_stroke = Stroke::new(1.0, CARD_STROKE);
    v.extreme_bg_color = INSET;
    v.faint_bg_color = CARD;
    v.selection.bg_fill = ACCENT.gamma_multiply(0.45);
    v.selection.stroke = Stroke::new(1.0, ACCENT_BRIGHT);
    v.override_text_color = None;
    let radius = CornerRadius::same(RADIUS);
    for w in [
        &mut v.widgets.noninteractive,
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.corner_radius = radius;
        w.expansion = 0.0;
    }
    v.widgets.noninteractive.bg_fill = CARD;
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.0, CARD_STROKE);
    v.widgets.noninteractive.fg_stroke = Stroke::new(1.0, TEXT_MUTED);
    v.widgets.inactive.bg_fill = INSET;
    v.widgets.inactive.weak_bg_fill = INSET;
    v.widgets.inactive.bg_stroke = Stroke::new(1.0, LINE);
    v.widgets.inactive.fg_stroke = Stroke::new(1.0, TEXT);
    v.widgets.hovered.bg_fill = INSET_HOVER;
    v.widgets.hovered.weak_bg_fill = INSET_HOVER;
    v.widgets.hovered.bg_stroke = Stroke::new(1.0, ACCENT);
    v.widgets.hovered.fg_stroke = Stroke::new(1.0, TEXT);
    v.widgets.active.bg_fill = INSET_HOVER;
    v.widgets.active.weak_bg_fill = INSET_HOVER;
    v.widgets.active.bg_stroke = Stroke::new(1.0, ACCENT_BRIGHT);
    v.widgets.active.fg_stroke = Stroke::new(1.0, TEXT);
    v.widgets.open.bg_fill = INSET_HOVER;
    v.widgets.open.weak_bg_fill = INSET_HOVER;
    v.widgets.open.bg_stroke = Stroke::new(1.0, ACCENT);
    v.widgets.open.fg_stroke = Stroke::new(1.0, TEXT);
    v
}
