//! Parameter controls. Every change goes through `ParamSetter`'s begin/set/end gesture so the
//! host records automation; every control resets to its default on double-click.
//!
//! Each control is one row: a label column, then the control, then (for sliders) a value box.
//! Rows are laid out by hand from the theme's metrics so every card's grid lines up.

use super::theme;
use egui::text::CCursorRange;
use egui::text_edit::TextEditState;
use egui::{
    Align, Align2, ComboBox, CornerRadius, CursorIcon, Id, Key, Layout, Rect, Sense, Stroke,
    StrokeKind, TextEdit, Ui, UiBuilder, pos2, vec2,
};
use nice_plug::prelude::{BoolParam, Enum, EnumParam, Param, ParamSetter};

/// Which end of a slider track its fill grows from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// From the left: amounts, times, frequencies.
    Start,
    /// From the middle: bipolar amounts (±octaves, ±semitones, ±cents).
    Centre,
}

/// The value box currently being typed into, if any.
#[derive(Default)]
pub struct TextEntry {
    id: Option<Id>,
    buffer: String,
    just_opened: bool,
}

/// Draws controls for one frame.
pub struct Controls<'a> {
    /// Sends gestures to the host.
    pub setter: &'a ParamSetter<'a>,
    /// Text-entry state that persists across frames.
    pub entry: &'a mut TextEntry,
    /// Width of the label column in the current card.
    pub label_width: f32,
}

/// A complete begin/set/end gesture for a single change.
fn set_once<P: Param>(setter: &ParamSetter, param: &P, value: P::Plain) {
    setter.begin_set_parameter(param);
    setter.set_parameter(param, value);
    setter.end_set_parameter(param);
}

fn widget_id<P: Param>(param: &P) -> Id {
    // Parameter names are unique (a unit test holds them to it), so they make stable ids.
    Id::unique(("octolane-param", param.name()))
}

fn help(name: &str) -> String {
    format!("{name}\nDrag to change, Shift-drag for fine steps.\nDouble-click to reset.")
}

impl Controls<'_> {
    /// Allocates one row and splits it into (label, control) rects; paints the label.
    fn row(&self, ui: &mut Ui, label: &str) -> (Rect, Rect) {
        let width = ui.available_width();
        let (row, _) = ui.allocate_exact_size(vec2(width, theme::ROW_HEIGHT), Sense::hover());
        let label_rect = Rect::from_min_size(row.min, vec2(self.label_width, row.height()));
        ui.painter().text(
            pos2(label_rect.min.x, label_rect.center().y),
            Align2::LEFT_CENTER,
            label,
            theme::label_font(),
            theme::TEXT_MUTED,
        );
        let control = Rect::from_min_max(
            pos2(label_rect.max.x + theme::INNER_GAP, row.min.y),
            row.max,
        );
        (label_rect, control)
    }

    /// A labelled horizontal slider with a value box that accepts typed values.
    pub fn slider<P: Param>(&mut self, ui: &mut Ui, label: &str, param: &P, fill: Fill) {
        let (_, control) = self.row(ui, label);
        let value_rect = Rect::from_min_max(
            pos2(control.max.x - theme::VALUE_WIDTH, control.min.y),
            control.max,
        );
        let track_rect = Rect::from_min_max(
            control.min,
            pos2(value_rect.min.x - theme::INNER_GAP, control.max.y),
        );
        let id = widget_id(param);
        self.track(ui, id, track_rect, param, fill);
        self.value_box(ui, id.with("value"), value_rect, param);
    }

    fn track<P: Param>(&mut self, ui: &mut Ui, id: Id, rect: Rect, param: &P, fill: Fill) {
        let response = ui
            .interact(rect, id, Sense::click_and_drag())
            .on_hover_cursor(CursorIcon::ResizeHorizontal)
            .on_hover_text(help(param.name()));
        let setter = self.setter;

        if response.double_clicked() || (response.clicked() && ui.input(|i| i.modifiers.command)) {
            set_once(setter, param, param.default_plain_value());
        }
        // Relative dragging: the value follows the pointer's movement, not its position, so
        // grabbing a slider never makes the value jump. The unquantized position lives in
        // egui's memory so stepped parameters still move smoothly under the pointer.
        if response.drag_started() {
            setter.begin_set_parameter(param);
            let start = param.unmodulated_normalized_value();
            ui.data_mut(|d| d.insert_temp(id, start));
        }
        if response.dragged() {
            let scale = if ui.input(|i| i.modifiers.shift) {
                0.1
            } else {
                1.0
            };
            let start = ui.data(|d| d.get_temp::<f32>(id)).unwrap_or(0.0);
            let next = (start + response.drag_delta().x / rect.width() * scale).clamp(0.0, 1.0);
            ui.data_mut(|d| d.insert_temp(id, next));
            let plain = param.preview_plain(next);
            if plain != param.unmodulated_plain_value() {
                setter.set_parameter(param, plain);
            }
        }
        if response.drag_stopped() {
            setter.end_set_parameter(param);
        }

        let active = response.hovered() || response.dragged();
        let track = Rect::from_center_size(rect.center(), vec2(rect.width(), theme::TRACK_HEIGHT));
        let painter = ui.painter();
        let radius = CornerRadius::same(theme::RADIUS);
        let background = if active {
            theme::INSET_HOVER
        } else {
            theme::INSET
        };
        painter.rect(
            track,
            radius,
            background,
            Stroke::new(1.0, theme::LINE),
            StrokeKind::Inside,
        );
        let x_at = |n: f32| track.min.x + 1.0 + (track.width() - 2.0) * n.clamp(0.0, 1.0);
        let value = param.unmodulated_normalized_value();
        let (from, to) = match fill {
            Fill::Start => (x_at(0.0), x_at(value)),
            Fill::Centre => {
                let (a, b) = (x_at(0.5), x_at(value));
                (a.min(b), a.max(b))
            }
        };
        let colour = if active {
            theme::ACCENT_BRIGHT
        } else {
            theme::ACCENT
        };
        if to - from >= 0.5 {
            let bar =
                Rect::from_min_max(pos2(from, track.min.y + 1.0), pos2(to, track.max.y - 1.0));
            painter.rect_filled(bar, CornerRadius::same(theme::RADIUS - 1), colour);
        }
        if fill == Fill::Centre {
            let x = x_at(0.5);
            painter.line_segment(
                [pos2(x, track.min.y - 2.0), pos2(x, track.max.y + 2.0)],
                Stroke::new(1.0, theme::TEXT_MUTED),
            );
        }
        // Host modulation (e.g. Bitwig's modulators) shows as a tick at the modulated value.
        let modulated = param.modulated_normalized_value();
        if (modulated - value).abs() > 1e-4 {
            let x = x_at(modulated);
            painter.line_segment(
                [pos2(x, track.min.y), pos2(x, track.max.y)],
                Stroke::new(2.0, theme::TEXT),
            );
        }
    }

    /// The value text; click it to type a value (Enter applies, Escape cancels).
    fn value_box<P: Param>(&mut self, ui: &mut Ui, id: Id, rect: Rect, param: &P) {
        let radius = CornerRadius::same(theme::RADIUS);
        if self.entry.id == Some(id) {
            let mut child = ui.new_child(
                UiBuilder::new()
                    .max_rect(rect)
                    .layout(Layout::centered_and_justified(egui::Direction::LeftToRight)),
            );
            let response = child.add(
                TextEdit::singleline(&mut self.entry.buffer)
                    .id(id)
                    .font(theme::value_font())
                    .align(Align2::CENTER_CENTER)
                    .margin(vec2(4.0, 2.0))
                    .desired_width(rect.width()),
            );
            if self.entry.just_opened {
                self.entry.just_opened = false;
                response.request_focus();
                let mut state = TextEditState::load(ui.ctx(), id).unwrap_or_default();
                let all = CCursorRange::select_all_str(&self.entry.buffer);
                state.cursor.set_char_range(Some(all));
                state.store(ui.ctx(), id);
            } else if response.lost_focus() {
                let typed = ui
                    .input(|i| i.key_pressed(Key::Enter))
                    .then(|| param.string_to_normalized_value(&self.entry.buffer))
                    .flatten();
                if let Some(n) = typed {
                    self.setter.begin_set_parameter(param);
                    // Through the plain value, so stepped parameters land on a step.
                    self.setter.set_parameter(param, param.preview_plain(n));
                    self.setter.end_set_parameter(param);
                }
                self.entry.id = None;
            }
            return;
        }

        let response = ui
            .interact(rect, id, Sense::click())
            .on_hover_cursor(CursorIcon::Text)
            .on_hover_text("Click to type a value");
        let stroke = if response.hovered() {
            theme::ACCENT
        } else {
            theme::LINE
        };
        let painter = ui.painter();
        painter.rect(
            rect,
            radius,
            theme::INSET,
            Stroke::new(1.0, stroke),
            StrokeKind::Inside,
        );
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            param.to_string(),
            theme::value_font(),
            theme::TEXT,
        );
        if response.clicked() {
            self.entry.id = Some(id);
            self.entry.buffer = param.to_string();
            self.entry.just_opened = true;
        }
    }

    /// A labelled row of segment buttons, one per choice.
    pub fn segmented<T>(&mut self, ui: &mut Ui, label: &str, param: &EnumParam<T>)
    where
        T: Enum + PartialEq + Copy + 'static,
    {
        let (_, control) = self.row(ui, label);
        let names = T::variants();
        let current = param.value().to_index();
        let id = widget_id(param);
        let gap = 2.0;
        let width = (control.width() - gap * (names.len() as f32 - 1.0)) / names.len() as f32;
        for (index, name) in names.iter().enumerate() {
            let x = control.min.x + index as f32 * (width + gap);
            let rect = Rect::from_min_size(pos2(x, control.min.y), vec2(width, control.height()));
            let response = ui
                .interact(rect, id.with(index), Sense::click())
                .on_hover_text(format!("{}: {name}\nDouble-click to reset.", param.name()));
            if response.double_clicked() {
                set_once(self.setter, param, param.default_plain_value());
            } else if response.clicked() && index != current {
                set_once(self.setter, param, T::from_index(index));
            }
            segment(ui, rect, name, index == current, response.hovered());
        }
    }

    /// A labelled drop-down list, for long choice lists.
    pub fn menu<T>(&mut self, ui: &mut Ui, label: &str, param: &EnumParam<T>)
    where
        T: Enum + PartialEq + Copy + 'static,
    {
        let (_, control) = self.row(ui, label);
        let names = T::variants();
        let current = param.value().to_index();
        let id = widget_id(param);
        let mut child = ui.new_child(
            UiBuilder::new()
                .max_rect(control)
                .layout(Layout::left_to_right(Align::Center)),
        );
        let combo = ComboBox::from_id_salt(id)
            .width(control.width())
            .height(320.0)
            .selected_text(names.get(current).copied().unwrap_or("?"))
            .show_ui(&mut child, |ui| {
                for (index, name) in names.iter().enumerate() {
                    if ui.selectable_label(index == current, *name).clicked() && index != current {
                        set_once(self.setter, param, T::from_index(index));
                    }
                }
            });
        let response = combo.response.on_hover_text(help_choice(param.name()));
        if response.double_clicked() {
            set_once(self.setter, param, param.default_plain_value());
        }
    }

    /// A labelled row of on/off buttons.
    pub fn toggles(&mut self, ui: &mut Ui, label: &str, items: &[(&str, &BoolParam)]) {
        let (_, control) = self.row(ui, label);
        let gap = 2.0;
        let width = (control.width() - gap * (items.len() as f32 - 1.0)) / items.len() as f32;
        for (index, (text, param)) in items.iter().enumerate() {
            let x = control.min.x + index as f32 * (width + gap);
            let rect = Rect::from_min_size(pos2(x, control.min.y), vec2(width, control.height()));
            let response = ui
                .interact(rect, widget_id(*param), Sense::click())
                .on_hover_text(format!("{}\nDouble-click to reset.", param.name()));
            if response.double_clicked() {
                set_once(self.setter, *param, param.default_plain_value());
            } else if response.clicked() {
                set_once(self.setter, *param, !param.value());
            }
            segment(ui, rect, text, param.value(), response.hovered());
        }
    }
}

fn help_choice(name: &str) -> String {
    format!("{name}\nDouble-click to reset.")
}

/// One segment or toggle button: accent-filled when selected.
fn segment(ui: &Ui, rect: Rect, text: &str, selected: bool, hovered: bool) {
    let (fill, colour) = match (selected, hovered) {
        (true, false) => (theme::ACCENT, theme::ON_ACCENT),
        (true, true) => (theme::ACCENT_BRIGHT, theme::ON_ACCENT),
        (false, false) => (theme::INSET, theme::TEXT_MUTED),
        (false, true) => (theme::INSET_HOVER, theme::TEXT),
    };
    let painter = ui.painter();
    let stroke = if selected { fill } else { theme::LINE };
    painter.rect(
        rect,
        CornerRadius::same(theme::RADIUS),
        fill,
        Stroke::new(1.0, stroke),
        StrokeKind::Inside,
    );
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        text,
        theme::label_font(),
        colour,
    );
}
