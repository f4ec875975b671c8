//! Points, lines and quadrilaterals in image coordinates (x right, y down,
//! pixel centres at half-integers, so a W-wide image spans 0..W).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Self {
        Point { x, y }
    }

    pub fn distance(self, other: Point) -> f32 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }
}

/// A line `x·cos θ + y·sin θ = ρ` (unit normal form).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub normal_x: f32,
    pub normal_y: f32,
    pub rho: f32,
}

impl Line {
    pub fn from_angle(theta: f32, rho: f32) -> Self {
        Line { normal_x: theta.cos(), normal_y: theta.sin(), rho }
    }

    pub fn intersection(self, other: Line) -> Option<Point> {
        let det = self.normal_x * other.normal_y - self.normal_y * other.normal_x;
        if det.abs() < 1e-6 {
            return None;
        }
        let x = (self.rho * other.normal_y - self.normal_y * other.rho) / det;
        let y = (self.normal_x * other.rho - self.rho * other.normal_x) / det;
        Some(Point::new(x, y))
    }
}

/// Corners in document order: top-left, top-right, bottom-right, bottom-left.
pub type Quad = [Point; 4];

pub fn quad_area(quad: &Quad) -> f32 {
    let mut twice = 0.0;
    for i in 0..4 {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        twice += a.x * b.y - b.x * a.y;
    }
    twice.abs() / 2.0
}

/// Strictly convex with all turns in the same direction.
pub fn is_convex(quad: &Quad) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b, c) = (quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]);
        let cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
        if cross.abs() < 1e-3 || (sign != 0.0 && cross.signum() != sign) {
            return false;
        }
        sign = cross.signum();
    }
    true
}

/// Mean lengths of the top/bottom and left/right sides.
pub fn quad_side_lengths(quad: &Quad) -> (f32, f32) {
    let horizontal = (quad[0].distance(quad[1]) + quad[3].distance(quad[2])) / 2.0;
    let vertical = (quad[0].distance(quad[3]) + quad[1].distance(quad[2])) / 2.0;
    (horizontal, vertical)
}

/// Orders four corners of a convex quad as a landscape document seen with the
/// least rotation: clockwise on screen, the top side a long side, and the top
/// side's direction the closest to pointing right. Which long side is the top
/// cannot be told from the outline; the least-rotation choice is right for
/// any photo held within ±90° of the document.
pub fn order_as_landscape_document(corners: [Point; 4]) -> Quad {
    let centre = Point::new(
        corners.iter().map(|p| p.x).sum::<f32>() / 4.0,
        corners.iter().map(|p| p.y).sum::<f32>() / 4.0,
    );
    let mut clockwise = corners;
    // With y down, increasing atan2 is clockwise on screen.
    clockwise.sort_by(|a, b| {
        let angle_a = (a.y - centre.y).atan2(a.x - centre.x);
        let angle_b = (b.y - centre.y).atan2(b.x - centre.x);
        angle_a.total_cmp(&angle_b)
    });
    let mut best = clockwise;
    let mut best_cost = f32::MAX;
    for start in 0..4 {
        let candidate: Quad = [0, 1, 2, 3].map(|i| clockwise[(start + i) % 4]);
        let (horizontal, vertical) = quad_side_lengths(&candidate);
        let top = (candidate[1].x - candidate[0].x, candidate[1].y - candidate[0].y);
        let rotation = top.1.atan2(top.0).abs();
        // Portrait readings cost more than any rotation, so landscape always wins.
        let cost = rotation + if horizontal < vertical { 10.0 } else { 0.0 };
        if cost < best_cost {
            best_cost = cost;
            best = candidate;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landscape_order_starts_top_left_and_keeps_long_side_on_top() {
        let tl = Point::new(10.0, 20.0);
        let tr = Point::new(170.0, 30.0);
        let br = Point::new(165.0, 130.0);
        let bl = Point::new(5.0, 120.0);
        assert_eq!(order_as_landscape_document([br, tl, bl, tr]), [tl, tr, br, bl]);
        // A portrait-looking quad (card turned 90° clockwise) gets its long side on top.
        let portrait = [Point::new(0.0, 0.0), Point::new(60.0, 0.0), Point::new(60.0, 100.0), Point::new(0.0, 100.0)];
        let ordered = order_as_landscape_document(portrait);
        let (horizontal, vertical) = quad_side_lengths(&ordered);
        assert!(horizontal > vertical);
    }

    #[test]
    fn lines_intersect_where_expected() {
        let vertical = Line::from_angle(0.0, 5.0);
        let horizontal = Line::from_angle(std::f32::consts::FRAC_PI_2, 7.0);
        let p = vertical.intersection(horizontal).unwrap();
        assert!((p.x - 5.0).abs() < 1e-4 && (p.y - 7.0).abs() < 1e-4);
        assert!(vertical.intersection(Line::from_angle(0.0, 9.0)).is_none());
    }
}
