//! The contents of each card, and the height each one needs.

use super::card;
use super::meter::{self, MeterState};
use super::theme;
use super::widgets::{Controls, Fill};
use crate::meters::Meters;
use crate::params::{
    EnvParams, EnvelopeParams, FilterParams, LfoParams, OscParams, OscillatorParams, OutputParams,
    VoiceParams,
};
use egui::{Align2, CornerRadius, Rect, Sense, StrokeKind, Ui, pos2, vec2};
use std::sync::atomic::Ordering;

/// Content height of the Oscillators card: two columns of six rows, then the noise strip.
pub const OSCILLATORS: f32 =
    card::SUBHEADING + card::rows(6) + theme::ROW_GAP + card::SEPARATOR + theme::ROW_HEIGHT;
/// Content height of the Filter card.
pub const FILTER: f32 = card::rows(7);
/// Content height of the Envelopes card: two columns of four rows, then the pitch strip.
pub const ENVELOPES: f32 =
    card::SUBHEADING + card::rows(4) + theme::ROW_GAP + card::SEPARATOR + theme::ROW_HEIGHT;
/// Content height of the LFO card.
pub const LFO: f32 = card::rows(7);
/// Content height of the Voice card.
pub const VOICE: f32 = card::rows(4);
/// Content height of the Output card: gain, meter, voice count.
pub const OUTPUT: f32 = 2.0 * theme::ROW_HEIGHT + meter::HEIGHT + 2.0 * theme::ROW_GAP;

fn osc_column(ui: &mut Ui, c: &mut Controls, title: &str, p: &OscParams) {
    card::subheading(ui, title);
    c.segmented(ui, "Wave", &p.wave);
    c.slider(ui, "Width", &p.pulse_width, Fill::Start);
    c.slider(ui, "Octave", &p.octave, Fill::Centre);
    c.slider(ui, "Semi", &p.semitones, Fill::Centre);
    c.slider(ui, "Fine", &p.fine, Fill::Centre);
    c.slider(ui, "Level", &p.level, Fill::Start);
}

/// Oscillators: Osc 1 | Osc 2, noise below.
pub fn oscillators(ui: &mut Ui, c: &mut Controls, p: &OscillatorParams) {
    c.label_width = 50.0;
    card::columns(ui, 2, card::SUBHEADING + card::rows(6), |i, ui| {
        if i == 0 {
            osc_column(ui, c, "Osc 1", &p.osc1);
        } else {
            osc_column(ui, c, "Osc 2", &p.osc2);
        }
    });
    card::separator(ui);
    c.slider(ui, "Noise", &p.noise_level, Fill::Start);
}

/// Filter: mode, cutoff and its modulation amounts, drive.
pub fn filter(ui: &mut Ui, c: &mut Controls, p: &FilterParams) {
    c.label_width = 74.0;
    c.segmented(ui, "Mode", &p.mode);
    c.slider(ui, "Cutoff", &p.cutoff, Fill::Start);
    c.slider(ui, "Resonance", &p.resonance, Fill::Start);
    c.slider(ui, "Key Track", &p.key_track, Fill::Start);
    c.slider(ui, "Env Amount", &p.env_amount, Fill::Centre);
    c.slider(ui, "Velocity", &p.velocity, Fill::Centre);
    c.slider(ui, "Drive", &p.drive, Fill::Start);
}

fn env_column(ui: &mut Ui, c: &mut Controls, title: &str, p: &EnvParams) {
    card::subheading(ui, title);
    c.slider(ui, "Attack", &p.attack, Fill::Start);
    c.slider(ui, "Decay", &p.decay, Fill::Start);
    c.slider(ui, "Sustain", &p.sustain, Fill::Start);
    c.slider(ui, "Release", &p.release, Fill::Start);
}

/// Envelopes: Amp | Mod, the mod envelope's pitch amount below.
pub fn envelopes(ui: &mut Ui, c: &mut Controls, p: &EnvelopeParams) {
    c.label_width = 50.0;
    card::columns(ui, 2, card::SUBHEADING + card::rows(4), |i, ui| {
        if i == 0 {
            env_column(ui, c, "Amp Envelope", &p.amp);
        } else {
            env_column(ui, c, "Mod Envelope", &p.modulation);
        }
    });
    card::separator(ui);
    // The strip's label spans the first column's label and track, so the value boxes of the
    // strip and the right column line up.
    c.label_width = 110.0;
    c.slider(ui, "Mod Env to Pitch", &p.mod_env_pitch, Fill::Centre);
}

/// LFO: shape, rate or tempo division, switches, and the four depths.
pub fn lfo(ui: &mut Ui, c: &mut Controls, p: &LfoParams) {
    c.label_width = 74.0;
    c.segmented(ui, "Wave", &p.wave);
    // One row for the speed: the free rate, or the division when synced to the host tempo.
    if p.sync.value() {
        c.menu(ui, "Rate", &p.division);
    } else {
        c.slider(ui, "Rate", &p.rate, Fill::Start);
    }
    c.toggles(
        ui,
        "Timing",
        &[("Tempo Sync", &p.sync), ("Retrigger", &p.retrigger)],
    );
    c.slider(ui, "To Pitch", &p.to_pitch, Fill::Start);
    c.slider(ui, "To Cutoff", &p.to_cutoff, Fill::Centre);
    c.slider(ui, "To Amp", &p.to_amp, Fill::Start);
    c.slider(ui, "To Pan", &p.to_pan, Fill::Start);
}

/// Voice: allocation and unison | performance controls.
pub fn voice(ui: &mut Ui, c: &mut Controls, p: &VoiceParams) {
    c.label_width = 74.0;
    card::columns(ui, 2, card::rows(4), |i, ui| {
        if i == 0 {
            c.slider(ui, "Polyphony", &p.polyphony, Fill::Start);
            c.slider(ui, "Unison", &p.unison, Fill::Start);
            c.slider(ui, "Detune", &p.unison_detune, Fill::Start);
            c.slider(ui, "Width", &p.unison_width, Fill::Start);
        } else {
            c.slider(ui, "Glide", &p.glide, Fill::Start);
            c.slider(ui, "Bend Range", &p.bend_range, Fill::Start);
            c.slider(ui, "Pressure", &p.pressure_cutoff, Fill::Centre);
            c.slider(ui, "Velocity", &p.velocity_sens, Fill::Start);
        }
    });
}

/// Output: gain, the level meter, and how many voices are sounding.
pub fn output(
    ui: &mut Ui,
    c: &mut Controls,
    p: &OutputParams,
    voices: &VoiceParams,
    meters: &Meters,
    meter_state: &mut MeterState,
) {
    c.label_width = 74.0;
    c.slider(ui, "Gain", &p.gain, Fill::Start);

    // Meter row: label, bars across the track width, held peak in the value column.
    let width = ui.available_width();
    let (row, _) = ui.allocate_exact_size(vec2(width, meter::HEIGHT), Sense::hover());
    ui.painter().text(
        pos2(row.min.x, row.min.y + 10.0),
        Align2::LEFT_CENTER,
        "Level",
        theme::label_font(),
        theme::TEXT_MUTED,
    );
    let value_rect = Rect::from_min_size(
        pos2(row.max.x - theme::VALUE_WIDTH, row.min.y),
        vec2(theme::VALUE_WIDTH, theme::ROW_HEIGHT),
    );
    let bars = Rect::from_min_max(
        pos2(
            row.min.x + c.label_width + theme::INNER_GAP - 14.0,
            row.min.y,
        ),
        pos2(value_rect.min.x - theme::INNER_GAP, row.max.y),
    );
    if meter::draw(ui, bars, meter_state) {
        meter_state.reset_hold();
    }
    let held = meter_state.held_db();
    readout(ui, value_rect, &meter::held_text(held), held >= 0.0);

    // Voices row: how much of the polyphony is in use.
    let sounding = meters.voices.load(Ordering::Relaxed);
    let limit = voices.polyphony.value().max(1) as u32;
    let (row, _) = ui.allocate_exact_size(vec2(width, theme::ROW_HEIGHT), Sense::hover());
    ui.painter().text(
        pos2(row.min.x, row.center().y),
        Align2::LEFT_CENTER,
        "Voices",
        theme::label_font(),
        theme::TEXT_MUTED,
    );
    let value_rect = Rect::from_min_max(pos2(row.max.x - theme::VALUE_WIDTH, row.min.y), row.max);
    let track = Rect::from_min_max(
        pos2(
            row.min.x + c.label_width + theme::INNER_GAP,
            row.center().y - 3.0,
        ),
        pos2(value_rect.min.x - theme::INNER_GAP, row.center().y + 3.0),
    );
    let painter = ui.painter();
    theme::inset(painter, track, 2, StrokeKind::Outside);
    let used = (sounding as f32 / limit as f32).clamp(0.0, 1.0);
    if used > 0.0 {
        let fill = Rect::from_min_size(track.min, vec2(track.width() * used, track.height()));
        painter.rect_filled(fill, CornerRadius::same(2), theme::ACCENT);
    }
    readout(ui, value_rect, &format!("{sounding} / {limit}"), false);
}

/// A read-only value box (same geometry as a slider's value box, no frame highlight).
fn readout(ui: &Ui, rect: Rect, text: &str, alarm: bool) {
    let painter = ui.painter();
    theme::inset(painter, rect, theme::RADIUS, StrokeKind::Inside);
    let colour = if alarm {
        theme::METER_CLIP
    } else {
        theme::TEXT
    };
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        text,
        theme::value_font(),
        colour,
    );
}
