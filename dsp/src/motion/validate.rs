//! Turning untrusted points (a saved state, a preset, a file) into a valid [`LaneCurve`]:
//! refuse non-finite positions and values, clamp to range, sort, cap at [`MAX_POINTS`], and
//! say why anything changed. Runs on the main thread; it allocates.

use super::lane::{Curve, LaneCurve, LanePoint, MAX_LENGTH_BEATS, MAX_POINTS};

/// A curve rebuilt from untrusted points, with what had to be fixed.
#[derive(Clone, Debug, PartialEq)]
pub struct Repaired {
    /// The valid curve.
    pub curve: LaneCurve,
    /// What was repaired, in words; `None` when the points were valid as given.
    pub reason: Option<String>,
}

/// Largest beat a point may sit on (just below [`MAX_LENGTH_BEATS`]).
fn last_beat() -> f64 {
    MAX_LENGTH_BEATS - 1.0 / 1_024.0
}

impl LaneCurve {
    /// Repairs `points`: points with a non-finite (NaN, ±∞) beat or value are dropped, beats
    /// are clamped to 0…256, values to 0…1 and tensions to −1…1 (a non-finite tension becomes
    /// a straight line), the points are sorted by beat (stable) and only the first
    /// [`MAX_POINTS`] are kept. Refused, with the reason, when no usable point is left.
    pub fn repaired(points: &[LanePoint]) -> Result<Repaired, String> {
        let mut notes: Vec<String> = Vec::new();
        let mut kept: Vec<LanePoint> = Vec::with_capacity(points.len().min(MAX_POINTS + 1));
        let (mut dropped, mut clamped, mut bad_tension) = (0usize, 0usize, 0usize);
        for p in points {
            if !p.beat.is_finite() || !p.value.is_finite() {
                dropped += 1;
                continue;
            }
            let beat = p.beat.clamp(0.0, last_beat());
            let value = p.value.clamp(0.0, 1.0);
            if beat != p.beat || value != p.value {
                clamped += 1;
            }
            let curve = match p.curve {
                Curve::Curved(t) if !t.is_finite() => {
                    bad_tension += 1;
                    Curve::Linear
                }
                Curve::Curved(t) if !(-1.0..=1.0).contains(&t) => {
                    bad_tension += 1;
                    Curve::Curved(t.clamp(-1.0, 1.0))
                }
                c => c,
            };
            kept.push(LanePoint::new(beat, value, curve));
        }
        if dropped > 0 {
            notes.push(format!(
                "refused {dropped} point(s) with a non-finite beat or value"
            ));
        }
        if clamped > 0 {
            notes.push(format!("clamped {clamped} point(s) into range"));
        }
        if bad_tension > 0 {
            notes.push(format!("fixed {bad_tension} curve tension(s)"));
        }
        if kept.windows(2).any(|w| w[1].beat < w[0].beat) {
            kept.sort_by(|a, b| a.beat.total_cmp(&b.beat));
            notes.push("sorted the points by beat".to_string());
        }
        if kept.len() > MAX_POINTS {
            notes.push(format!(
                "kept the first {MAX_POINTS} of {} points",
                kept.len()
            ));
            kept.truncate(MAX_POINTS);
        }
        if kept.is_empty() {
            notes.push("no usable point is left".to_string());
            return Err(notes.join("; "));
        }
        let curve = LaneCurve::new(kept).map_err(|e| format!("internal: {e}"))?;
        let reason = (!notes.is_empty()).then(|| notes.join("; "));
        Ok(Repaired { curve, reason })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(beat: f64, value: f32) -> LanePoint {
        LanePoint::new(beat, value, Curve::Linear)
    }

    #[test]
    fn valid_points_pass_unchanged() {
        let points = vec![p(0.0, 0.2), p(1.0, 0.8), p(3.5, 0.0)];
        let r = LaneCurve::repaired(&points).unwrap();
        assert_eq!(r.reason, None);
        assert_eq!(r.curve.points(), &points[..]);
    }

    #[test]
    fn nan_is_refused_and_the_rest_repaired() {
        let points = vec![
            p(2.0, 0.5),
            p(f64::NAN, 0.5),
            p(1.0, f32::NAN),
            p(-3.0, 7.0),
            LanePoint::new(1.0, 0.1, Curve::Curved(f32::INFINITY)),
            LanePoint::new(1.5, 0.1, Curve::Curved(-9.0)),
        ];
        let r = LaneCurve::repaired(&points).unwrap();
        let reason = r.reason.unwrap();
        assert!(reason.contains("refused 2"), "{reason}");
        assert!(reason.contains("clamped 1"), "{reason}");
        assert!(reason.contains("sorted"), "{reason}");
        assert!(reason.contains("tension"), "{reason}");
        let got = r.curve.points();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], p(0.0, 1.0));
        assert_eq!(got[1], p(1.0, 0.1));
        assert_eq!(got[2].curve, Curve::Curved(-1.0));
        assert_eq!(got[3], p(2.0, 0.5));
    }

    #[test]
    fn too_many_points_are_capped() {
        let points: Vec<LanePoint> = (0..5_000).map(|i| p(i as f64 * 0.01, 0.5)).collect();
        let r = LaneCurve::repaired(&points).unwrap();
        assert_eq!(r.curve.points().len(), MAX_POINTS);
        assert!(r.reason.unwrap().contains("4096 of 5000"));
    }

    #[test]
    fn nothing_usable_is_refused_with_a_reason() {
        assert!(LaneCurve::repaired(&[]).unwrap_err().contains("no usable"));
        let err = LaneCurve::repaired(&[p(f64::INFINITY, 0.0), p(0.0, f32::NAN)]).unwrap_err();
        assert!(
            err.contains("refused 2") && err.contains("no usable"),
            "{err}"
        );
    }

    #[test]
    fn new_refuses_what_repaired_would_fix() {
        assert!(LaneCurve::new(vec![]).is_err());
        assert!(LaneCurve::new(vec![p(1.0, 0.0), p(0.0, 0.0)]).is_err());
        assert!(LaneCurve::new(vec![p(0.0, f32::NAN)]).is_err());
        assert!(LaneCurve::new(vec![p(300.0, 0.0)]).is_err());
        assert!(LaneCurve::new(vec![p(0.0, 0.0); MAX_POINTS + 1]).is_err());
        assert!(LaneCurve::new(vec![p(0.0, 0.0); MAX_POINTS]).is_ok());
    }
}
