//! Unit-aware value ↔ text conversions for the host and the editor.
//!
//! Every formatter here is paired with a parser that accepts its own output, so
//! text → value → text is stable: the host's generic UI and typed-in values land on the
//! same string they showed. The unit is part of the text (the parameters' `unit` stays
//! empty), because the unit changes with the magnitude ("850 Hz" / "1.20 kHz").
//!
//! Parsers accept the number with or without its unit, in any letter case, and with or
//! without a space before the unit. A number typed without a unit is read in the unit the
//! engine uses (Hz, seconds, percent, dB, cents, semitones, octaves).

use std::sync::Arc;

/// Plain value → display text.
pub type ToText<T> = Arc<dyn Fn(T) -> String + Send + Sync>;
/// Display text → plain value (`None` when the text is not understood).
pub type FromText<T> = Arc<dyn Fn(&str) -> Option<T> + Send + Sync>;

/// Rounds to `decimals` places, turning `-0.0` into `0.0` so no "-0.0" ever shows.
fn rounded(value: f32, decimals: usize) -> f32 {
    let scale = 10f32.powi(decimals as i32);
    let r = (value * scale).round() / scale;
    if r == 0.0 { 0.0 } else { r }
}

/// Splits "−1.5 kHz" into (-1.5, "khz"). Accepts a leading '+', ASCII '-' or '−' (U+2212).
fn split_number(text: &str) -> Option<(f32, String)> {
    let text = text.trim().replace('\u{2212}', "-");
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let value: f32 = text[..end].parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let unit = text[end..].trim().to_ascii_lowercase();
    Some((value, unit))
}

/// Parses a number whose optional unit must be one of `units` (lower case; "" is implied).
fn parse_with_unit(text: &str, units: &[&str]) -> Option<f32> {
    let (value, unit) = split_number(text)?;
    (unit.is_empty() || units.contains(&unit.as_str())).then_some(value)
}

/// Frequency: "0.400 Hz", "8.50 Hz", "42.0 Hz", "850 Hz", "1.20 kHz", "12.5 kHz".
pub fn frequency() -> (ToText<f32>, FromText<f32>) {
    let to_text = Arc::new(|hz: f32| {
        // Tiers are chosen on the *rounded* value so that 999.7 shows as "1.00 kHz" (and
        // parses back to 1000, which shows the same), never as "1000 Hz".
        if hz < 0.9995 {
            format!("{:.3} Hz", rounded(hz, 3))
        } else if hz < 9.995 {
            format!("{:.2} Hz", hz)
        } else if hz < 99.95 {
            format!("{:.1} Hz", hz)
        } else if hz < 999.5 {
            format!("{:.0} Hz", hz)
        } else if hz < 9_995.0 {
            format!("{:.2} kHz", hz / 1000.0)
        } else {
            format!("{:.1} kHz", hz / 1000.0)
        }
    });
    let from_text = Arc::new(|text: &str| {
        let (value, unit) = split_number(text)?;
        match unit.as_str() {
            "" | "hz" => Some(value),
            "k" | "khz" => Some(value * 1000.0),
            _ => None,
        }
    });
    (to_text, from_text)
}

/// Time in seconds: "0.50 ms", "12.5 ms", "250 ms", "1.50 s", "12.0 s".
pub fn seconds() -> (ToText<f32>, FromText<f32>) {
    let to_text = Arc::new(|s: f32| {
        let ms = s * 1000.0;
        if rounded(ms, 2) == 0.0 {
            "0 ms".to_string()
        } else if ms < 9.995 {
            format!("{:.2} ms", rounded(ms, 2))
        } else if ms < 99.95 {
            format!("{:.1} ms", ms)
        } else if ms < 999.5 {
            format!("{:.0} ms", ms)
        } else if s < 9.995 {
            format!("{:.2} s", s)
        } else {
            format!("{:.1} s", s)
        }
    });
    let from_text = Arc::new(|text: &str| {
        let (value, unit) = split_number(text)?;
        match unit.as_str() {
            "" | "s" | "sec" => Some(value),
            "ms" => Some(value / 1000.0),
            _ => None,
        }
    });
    (to_text, from_text)
}

/// A 0…1 amount as a whole percentage: "35 %". A bare number is read as percent.
pub fn percent() -> (ToText<f32>, FromText<f32>) {
    let to_text = Arc::new(|v: f32| format!("{:.0} %", rounded(v * 100.0, 0)));
    let from_text = Arc::new(|text: &str| parse_with_unit(text, &["%"]).map(|p| p / 100.0));
    (to_text, from_text)
}

/// A number with a fixed number of decimals and a unit; `signed` adds '+' to positive
/// values ("+7 ct", "0 ct", "-12.0 st"). `aliases` are further accepted unit spellings.
pub fn number(
    decimals: usize,
    signed: bool,
    unit: &'static str,
    aliases: &'static [&'static str],
) -> (ToText<f32>, FromText<f32>) {
    let to_text = Arc::new(move |v: f32| {
        let r = rounded(v, decimals);
        if signed && r > 0.0 {
            format!("+{r:.decimals$} {unit}")
        } else {
            format!("{r:.decimals$} {unit}")
        }
    });
    let lower = unit.to_ascii_lowercase();
    let from_text = Arc::new(move |text: &str| {
        let (value, u) = split_number(text)?;
        (u.is_empty() || u == lower || aliases.contains(&u.as_str())).then_some(value)
    });
    (to_text, from_text)
}

/// Decibels with one decimal: "-6.0 dB", "+3.0 dB".
pub fn decibels() -> (ToText<f32>, FromText<f32>) {
    number(1, true, "dB", &["db"])
}

/// A signed integer with a unit: "+1 oct", "0 st", "-7 st".
pub fn signed_int(
    unit: &'static str,
    aliases: &'static [&'static str],
) -> (ToText<i32>, FromText<i32>) {
    let to_text = Arc::new(move |v: i32| {
        if v > 0 {
            format!("+{v} {unit}")
        } else {
            format!("{v} {unit}")
        }
    });
    let from_text = Arc::new(move |text: &str| {
        let (value, u) = split_number(text)?;
        let ok = u.is_empty() || u == unit || aliases.contains(&u.as_str());
        ok.then_some(value.round() as i32)
    });
    (to_text, from_text)
}

/// A voice count where 1 has a name of its own: "Mono" / "16 voices", or "Off" / "3 voices".
pub fn voice_count(one: &'static str) -> (ToText<i32>, FromText<i32>) {
    let to_text = Arc::new(move |v: i32| match v {
        1 => one.to_string(),
        _ => format!("{v} voices"),
    });
    let from_text = Arc::new(move |text: &str| {
        if text.trim().eq_ignore_ascii_case(one) {
            return Some(1);
        }
        parse_with_unit(text, &["voice", "voices"]).map(|v| v.round() as i32)
    });
    (to_text, from_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_tiers_and_parsing() {
        let (to, from) = frequency();
        assert_eq!(to(1200.0), "1.20 kHz");
        assert_eq!(to(999.7), "1.00 kHz");
        assert_eq!(to(850.0), "850 Hz");
        assert_eq!(to(0.4), "0.400 Hz");
        assert_eq!(to(12_500.0), "12.5 kHz");
        assert_eq!(from("1.2k"), Some(1200.0));
        assert_eq!(from("1.20 kHz"), Some(1200.0));
        assert_eq!(from("440hz"), Some(440.0));
        assert_eq!(from("440"), Some(440.0));
        assert_eq!(from("loud"), None);
        assert_eq!(from("3 parsecs"), None);
    }

    #[test]
    fn time_percent_and_signed() {
        let (to, from) = seconds();
        assert_eq!(to(0.25), "250 ms");
        assert_eq!(to(1.5), "1.50 s");
        assert_eq!(to(0.0005), "0.50 ms");
        assert_eq!(to(0.0), "0 ms");
        assert_eq!(from("0 ms"), Some(0.0));
        assert_eq!(from("250 ms"), Some(0.25));
        assert_eq!(from("2"), Some(2.0));
        let (to, from) = percent();
        assert_eq!(to(0.35), "35 %");
        assert_eq!(from("35 %"), Some(0.35));
        assert_eq!(from("35%"), Some(0.35));
        let (to, from) = number(0, true, "ct", &["cents"]);
        assert_eq!(to(7.0), "+7 ct");
        assert_eq!(to(-0.2), "0 ct");
        assert_eq!(from("-7 cents"), Some(-7.0));
        assert_eq!(from("\u{2212}7 ct"), Some(-7.0));
        let (to, _) = decibels();
        assert_eq!(to(-6.0), "-6.0 dB");
        let (to, from) = signed_int("st", &[]);
        assert_eq!(to(12), "+12 st");
        assert_eq!(from("+12 st"), Some(12));
        let (to, from) = voice_count("Mono");
        assert_eq!(to(1), "Mono");
        assert_eq!(to(16), "16 voices");
        assert_eq!(from("mono"), Some(1));
        assert_eq!(from("16 voices"), Some(16));
    }
}
