use serde::Deserialize;

use super::grey::PixelRect;

/// How hard to look at one frame. Deserialisable from the page's JSON
/// (`{"region": {...}, "maxAttempts": 6}`); every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ScanOptions {
    /// Only look inside this rectangle (the viewfinder's scan box).
    pub region: Option<ScanRegion>,
    /// The per-frame work budget: passes of binarise + detect + decode, each
    /// over at most `max_working_edge` pixels on the long side. `None` = 8.
    /// A live camera loop can pass 2–3 and rely on the next frame; a still
    /// photo can pass more.
    pub max_attempts: Option<u32>,
    /// Long side, in pixels, of the pyramid level scanned first. `None` = 1280.
    pub max_working_edge: Option<u32>,
}

impl ScanOptions {
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
    pub const DEFAULT_MAX_WORKING_EDGE: u32 = 1280;

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts.unwrap_or(Self::DEFAULT_MAX_ATTEMPTS).min(32)
    }

    /// Clamped to 160..=2048 so one pass stays bounded whatever the page sends.
    pub fn max_working_edge(&self) -> usize {
        self.max_working_edge.unwrap_or(Self::DEFAULT_MAX_WORKING_EDGE).clamp(160, 2048) as usize
    }
}

/// A rectangle in input pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanRegion {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl ScanRegion {
    /// The part of the region inside a `width`×`height` image; `None` if
    /// nothing of it is inside.
    pub(crate) fn clamped_to(&self, width: usize, height: usize) -> Option<PixelRect> {
        let x = (self.x as usize).min(width);
        let y = (self.y as usize).min(height);
        let right = (self.x as usize).saturating_add(self.width as usize).min(width);
        let bottom = (self.y as usize).saturating_add(self.height as usize).min(height);
        let rect = PixelRect { x, y, width: right.saturating_sub(x), height: bottom.saturating_sub(y) };
        (rect.width > 0 && rect.height > 0).then_some(rect)
    }
}
