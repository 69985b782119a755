//! The standalone Octolane app (JACK, ALSA or the dummy backend).

use nice_plug::prelude::*;

fn main() {
    nice_export_standalone::<octolane::Octolane>();
}
