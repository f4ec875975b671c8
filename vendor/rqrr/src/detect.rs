use crate::prepare::{AreaFiller, ImageBuffer, PixelColor};
use crate::{
    geometry::Perspective,
    identify::Point,
    prepare::{ColoredRegion, PreparedImage, Row},
};

/// A locator pattern of a QR grid
///
/// One of 3 corner patterns of a QR code. Can be found using a distinctive
/// 1:1:3:1:1 pattern of black-white zones.
///
/// Stores information about the corners of the capstone (NOT the grid), the
/// center point and the local `perspective` i.e. in which direction the grid is
/// likely skewed.
#[derive(Debug, Clone)]
pub struct CapStone {
    /// The 4 corners of the capstone
    pub corners: [Point; 4],
    /// The center point of the capstone
    pub center: Point,
    /// The local perspective of the capstone, i.e. in which direction(s) the
    /// capstone is skewed.
    pub c: Perspective,
}

/// Find all 'capstones' in a given image.
///
/// A Capstones is the locator pattern of a QR code. Every QR code has 3 of
/// these in 3 corners. This function finds these patterns by scanning the image
/// line by line for a distinctive 1:1:3:1:1 pattern of
/// black-white-black-white-black zones.
///
/// Returns a vector of [CapStones](struct.CapStone.html)
pub fn capstones_from_image<S>(img: &mut PreparedImage<S>) -> Vec<CapStone>
where
    S: ImageBuffer,
{
    let mut res = Vec::new();
    // PATCH(id-capture) 21: each row starts by reading its first pixel, which
    // a 0-pixel-wide image does not have (upstream: index out of bounds).
    if img.width() == 0 {
        return res;
    }

    for y in 0..img.height() {
        let mut finder = LineScanner::new(img.get_pixel_at(0, y));
        let mut x = 1;
        while x < img.width() {
            // PATCH(id-capture): skip the rest of the current run in one
            // slice scan; only colour changes reach `advance`. The row is
            // re-read after every candidate, as capstone checks repaint it.
            let run_end = img.next_pixel_not(x, y, finder.last_color);
            finder.extend_run(run_end - x);
            x = run_end;
            if x >= img.width() {
                break;
            }
            let color = img.get_pixel_at(x, y);
            x += 1;
            let linepos = match finder.advance(color) {
                Some(l) => l,
                None => continue,
            };

            if !is_capstone(img, &linepos, y) {
                continue;
            }

            let cap = match create_capstone(img, &linepos, y) {
                Some(c) => c,
                None => continue,
            };

            res.push(cap);
        }

        // Insert a virtual white pixel at the end to trigger a re-check. Necessary when
        // the capstone lies right on the corner of an image
        if let Some(linepos) = finder.advance(PixelColor::White) {
            if !is_capstone(img, &linepos, y) {
                continue;
            }

            let cap = match create_capstone(img, &linepos, y) {
                Some(c) => c,
                None => continue,
            };

            res.push(cap);
        }
    }
    res
}

#[derive(Debug, Clone, Copy, Eq, PartialEq)]
struct LinePosition {
    left: usize,
    stone: usize,
    right: usize,
}

/// Find a possible capstone based on black/white transitions
///
/// ```bash
///     #######
///     #     #
/// --> # ### # <--
///     # ### #
///     # ### #
///     #     #
///     #######
/// ```
/// A capstone has a distinctive pattern of 1:1:3:1:1 of black-white
/// transitions. So a run of black is followed by a run of white of equal
/// length, followed by black with 3 times the length and so on.
///
/// This struct is meant to operate on a single line, with the first value in
/// the line given to `CapStoneFinder::new` and any following values given to
/// `CapStoneFinder::advance`
#[derive(Debug, Clone, Copy, Eq, PartialEq)]
struct LineScanner {
    lookbehind_buf: [usize; 5],
    last_color: PixelColor,
    run_length: usize,
    color_changes: usize,
    current_position: usize,
}

impl LineScanner {
    /// Initialize a new CapStoneFinder with the value of the first pixel in a
    /// line
    fn new(initial_col: PixelColor) -> Self {
        LineScanner {
            lookbehind_buf: [0; 5],
            last_color: initial_col,
            run_length: 1,
            color_changes: 0,
            current_position: 0,
        }
    }

    /// PATCH(id-capture): `pixels` more pixels of the current colour.
    fn extend_run(&mut self, pixels: usize) {
        self.current_position += pixels;
        self.run_length += pixels;
    }

    /// Advance the position of the finder with the given color.
    ///
    /// This will return `None` if no pattern matching a CapStone was recently
    /// observed. It will return `Some(position)` if the last added pixel
    /// completes a 1:1:3:1:1 pattern of black/white runs. This is a
    /// candidate for capstones.
    fn advance(&mut self, color: PixelColor) -> Option<LinePosition> {
        self.current_position += 1;

        // If we did not observe a color change, we have not reached the boundary of a
        // capstone
        if self.last_color == color {
            self.run_length += 1;
            return None;
        }

        self.last_color = color;
        self.lookbehind_buf.rotate_left(1);
        self.lookbehind_buf[4] = self.run_length;
        self.run_length = 1;
        self.color_changes += 1;

        if self.test_for_capstone() {
            Some(LinePosition {
                left: self.current_position - self.lookbehind_buf.iter().sum::<usize>(),
                stone: self.current_position - self.lookbehind_buf[2..].iter().sum::<usize>(),
                right: self.current_position - self.lookbehind_buf[4],
            })
        } else {
            None
        }
    }

    /// Test if the observed pattern matches that of a capstone.
    ///
    /// Capstones have a distinct pattern of 1:1:3:1:1 of
    /// black->white->black->white->black transitions.
    fn test_for_capstone(&self) -> bool {
        // A capstone should look like > x xxx x < so we have to check after 5 color
        // changes and only if the newly observed color is white
        if PixelColor::White == self.last_color && self.color_changes >= 5 {
            const CHECK: [usize; 5] = [1, 1, 3, 1, 1];
            // PATCH(id-capture): in quarter pixels. Upstream truncated the
            // average run to whole pixels, so with 3–4 px modules (runs
            // 3,3,12,3,4: average 3.25 → 3) a true stone run of 12 fell
            // outside 3 × 3 + 2 and small codes lost a finder pattern.
            let avg4 = self.lookbehind_buf[0]
                + self.lookbehind_buf[1]
                + self.lookbehind_buf[3]
                + self.lookbehind_buf[4];
            // Below an average run of 2 px upstream's whole-pixel test is kept:
            // there it demands exact 1:1:3:1:1, and a looser test lets pixel
            // noise through to the flood fills (+15 % on busy frames).
            let (avg4, err4) = if avg4 >= 8 { (avg4, avg4 * 3 / 4) } else { (avg4 / 4 * 4, avg4 / 4 * 3 / 4 * 4) };
            #[allow(clippy::needless_range_loop)]
            for i in 0..5 {
                let run4 = self.lookbehind_buf[i] * 4;
                if run4 + err4 < CHECK[i] * avg4 || run4 > CHECK[i] * avg4 + err4 {
                    return false;
                }
            }

            true
        } else {
            false
        }
    }
}

/// Determine if the given position is an unobserved capstone
///
/// This checks for a few things:
/// * The `left` and `right` positions are connected
/// * The `stone` position is **not** connected to the others
/// * The positions are unclaimed, i.e. not used for other capstones etc.
/// * The ratio between the size of `stone` position and the outer `ring`
///   position is roughly 37.5%
///
/// Returns `true` if all of the above are true, `false` otherwise
fn is_capstone<S>(img: &mut PreparedImage<S>, linepos: &LinePosition, y: usize) -> bool
where
    S: ImageBuffer,
{
    let ring_reg = img.get_region((linepos.right, y));
    let stone_reg = img.get_region((linepos.stone, y));

    if img.get_pixel_at(linepos.left, y) != img.get_pixel_at(linepos.right, y) {
        return false;
    }

    match (ring_reg, stone_reg) {
        (
            ColoredRegion::Unclaimed {
                color: ring_color,
                pixel_count: ring_count,
                ..
            },
            ColoredRegion::Unclaimed {
                color: stone_color,
                pixel_count: stone_count,
                ..
            },
        ) => {
            // PATCH(id-capture): integer division by zero traps in wasm even in release.
            let ratio = stone_count * 100 / ring_count.max(1);
            // Verify that left is connected to right, and that stone is not connected
            // Also that the pixel counts roughly respect the 37.5% ratio
            ring_color != stone_color && 10 < ratio && ratio < 70
        }
        _ => false,
    }
}

/// Create a capstone at the given position
///
/// * This determines the extend and perspective of the capstone at the given
///   position
/// * It marks the `ring` and `stone` of the capstone as reserved so that it may
///   not be detected again
///
/// Returns the `CapStone` at the given position
fn create_capstone<S>(
    img: &mut PreparedImage<S>,
    linepos: &LinePosition,
    y: usize,
) -> Option<CapStone>
where
    S: ImageBuffer,
{
    /* Find the corners of the ring */
    let start_point = Point {
        x: linepos.right as i32,
        y: y as i32,
    };
    let first_corner_finder = FirstCornerFinder::new(start_point);
    let first_corner_finder =
        img.repaint_and_apply((linepos.right, y), PixelColor::Tmp1, first_corner_finder);
    let all_corner_finder = AllCornerFinder::new(start_point, first_corner_finder.best());
    let all_corner_finder =
        img.repaint_and_apply((linepos.right, y), PixelColor::CapStone, all_corner_finder);
    let corners = all_corner_finder.best();
    // PATCH(id-capture) 22: a ring whose corners no usable view of a square
    // gives (a side under half another) is data that passed the line test.
    if !plausible_finder_shape(&corners) {
        return None;
    }

    /* Set up the perspective transform and find the center */
    let c = Perspective::create(&corners, 7.0, 7.0)?;
    let center = c.map(3.5, 3.5);

    Some(CapStone { c, corners, center })
}

/// PATCH(id-capture) 22: whether four ring corners could be a finder pattern
/// seen at an angle: every side at least half the longest (a square seen
/// 60° off its axis). Upstream took any ring; at 2 px per module data runs
/// passing the 1:1:3:1:1 test gave slivers (sides 3 and 22 px, 6 and 20 px)
/// that spoiled the grids of clean codes.
fn plausible_finder_shape(corners: &[Point; 4]) -> bool {
    let squared = |a: &Point, b: &Point| {
        let (dx, dy) = (i64::from(a.x) - i64::from(b.x), i64::from(a.y) - i64::from(b.y));
        dx * dx + dy * dy
    };
    let sides = [0, 1, 2, 3].map(|i| squared(&corners[i], &corners[(i + 1) % 4]));
    let (shortest, longest) = (sides.iter().min().copied().unwrap_or(0), sides.iter().max().copied().unwrap_or(0));
    shortest > 0 && shortest * 4 >= longest
}

/// Find the a corner of a sheared rectangle.
///
/// This finds the point that is the farthest from a given reference point on
/// the rectangle. This point must be one corner
#[derive(Debug, Eq, PartialEq, Clone)]
struct FirstCornerFinder {
    initial: Point,
    best: Point,
    score: i32,
}

impl FirstCornerFinder {
    pub fn new(initial: Point) -> Self {
        FirstCornerFinder {
            initial,
            best: Default::default(),
            score: -1,
        }
    }

    pub fn best(self) -> Point {
        self.best
    }
}

impl AreaFiller for FirstCornerFinder {
    fn update(&mut self, row: Row) {
        let dy = (row.y as i32) - self.initial.y;
        let l_dx = (row.left as i32) - self.initial.x;
        let r_dx = (row.right as i32) - self.initial.x;

        let l_dist = l_dx * l_dx + dy * dy;
        let r_dist = r_dx * r_dx + dy * dy;

        if l_dist > self.score {
            self.score = l_dist;
            self.best = Point {
                x: row.left as i32,
                y: row.y as i32,
            }
        }

        if r_dist > self.score {
            self.score = r_dist;
            self.best = Point {
                x: row.right as i32,
                y: row.y as i32,
            }
        }
    }
}

/// Find the 4 corners of a rectangle
///
/// Expects an initial point in the rectangle as well as a known corner
///
/// The other corners are found by searching extreme points based on the line
/// between initial and corner point. The opposite corner must one of the points
/// that lie the farthest in the opposite direction. The 2 other corners are
/// those that are the farthest left and right from the reference line.
#[derive(Debug, Eq, PartialEq, Clone)]
struct AllCornerFinder {
    baseline: Point,
    best: [Point; 4],
    scores: [i32; 4],
}

impl AllCornerFinder {
    pub fn new(initial: Point, corner: Point) -> Self {
        let baseline = Point {
            x: corner.x - initial.x,
            y: corner.y - initial.y,
        };

        let parallel_score = initial.x * baseline.x + initial.y * baseline.y;
        let orthogonal_score = -initial.x * baseline.y + initial.y * baseline.x;

        AllCornerFinder {
            baseline,
            best: [initial; 4],
            scores: [
                parallel_score,
                orthogonal_score,
                -parallel_score,
                -orthogonal_score,
            ],
        }
    }

    pub fn best(self) -> [Point; 4] {
        self.best
    }
}

impl AreaFiller for AllCornerFinder {
    fn update(&mut self, row: Row) {
        let l_par_score = (row.left as i32) * self.baseline.x + (row.y as i32) * self.baseline.y;
        let l_ort_score = -(row.left as i32) * self.baseline.y + (row.y as i32) * self.baseline.x;
        let l_scores = [l_par_score, l_ort_score, -l_par_score, -l_ort_score];

        let r_par_score = (row.right as i32) * self.baseline.x + (row.y as i32) * self.baseline.y;
        let r_ort_score = -(row.right as i32) * self.baseline.y + (row.y as i32) * self.baseline.x;
        let r_scores = [r_par_score, r_ort_score, -r_par_score, -r_ort_score];

        for j in 0..4 {
            if l_scores[j] > self.scores[j] {
                self.scores[j] = l_scores[j];
                self.best[j] = Point {
                    x: row.left as i32,
                    y: row.y as i32,
                }
            }

            if r_scores[j] > self.scores[j] {
                self.scores[j] = r_scores[j];
                self.best[j] = Point {
                    x: row.right as i32,
                    y: row.y as i32,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::BasicImageBuffer;

    /// PATCH(id-capture): feeds white, then runs of black/white/black/white/black
    /// of the given lengths, then white; whether a capstone line was seen.
    fn finds_runs(runs: [usize; 5]) -> bool {
        let mut finder = LineScanner::new(PixelColor::White);
        let mut found = false;
        for (i, &run) in runs.iter().enumerate() {
            let color = if i % 2 == 0 { PixelColor::Black } else { PixelColor::White };
            for _ in 0..run {
                found |= finder.advance(color).is_some();
            }
        }
        found | finder.advance(PixelColor::White).is_some()
    }

    #[test]
    fn capstone_runs_of_3_to_4_pixels_with_a_12_pixel_stone() {
        // Average 3.25 px: the stone may be 3 × 3.25 ± 2.4.
        assert!(finds_runs([3, 3, 12, 3, 4]));
        assert!(finds_runs([4, 3, 12, 3, 3]));
        assert!(!finds_runs([3, 3, 14, 3, 4]));
        // Below a 2 px average the test stays exact, as upstream.
        assert!(finds_runs([1, 1, 3, 1, 1]));
        assert!(!finds_runs([1, 2, 3, 1, 1]));
        assert!(!finds_runs([1, 1, 4, 1, 1]));
    }

    /// PATCH(id-capture) 22: a square at any angle or under perspective
    /// passes; the sliver a data run gave (sides 3 and 22 px) does not.
    #[test]
    fn a_finder_must_have_the_shape_of_a_seen_square() {
        let quad = |p: [(i32, i32); 4]| p.map(|(x, y)| Point { x, y });
        assert!(plausible_finder_shape(&quad([(36, 21), (36, 8), (49, 8), (49, 21)])));
        assert!(plausible_finder_shape(&quad([(0, 0), (10, 3), (12, 14), (-1, 9)])));
        assert!(plausible_finder_shape(&quad([(0, 0), (20, 0), (17, 12), (3, 12)])));
        assert!(!plausible_finder_shape(&quad([(23, 31), (8, 15), (8, 12), (25, 16)])));
        assert!(!plausible_finder_shape(&quad([(28, 14), (47, 8), (49, 13), (32, 19)])));
        assert!(!plausible_finder_shape(&quad([(5, 5), (5, 5), (5, 5), (5, 5)])));
    }

    /// PATCH(id-capture) 21: 0 pixels wide but 5 rows high.
    #[test]
    fn zero_width_image_has_no_capstones() {
        let mut img = PreparedImage::prepare_from_greyscale(0, 5, |_, _| 0);
        assert!(capstones_from_image(&mut img).is_empty());
        assert!(img.detect_grids().is_empty());
    }

    #[test]
    fn test_capstone_finder_small() {
        let mut line = [1, 0, 1, 1, 1, 0, 1, 0].iter();

        let mut finder = LineScanner::new(PixelColor::White);
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            Some(LinePosition {
                left: 1,
                stone: 3,
                right: 7,
            }),
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
    }

    #[test]
    fn test_capstone_finder_start() {
        let mut line = [0, 1, 1, 1, 0, 1, 0].iter();

        let mut finder = LineScanner::new(PixelColor::Black);
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            Some(LinePosition {
                left: 0,
                stone: 2,
                right: 6,
            }),
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
    }

    #[test]
    fn test_capstone_finder_multiple() {
        let mut line = [0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0].iter();

        let mut finder = LineScanner::new(PixelColor::Black);
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            Some(LinePosition {
                left: 0,
                stone: 2,
                right: 6,
            }),
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            Some(LinePosition {
                left: 6,
                stone: 8,
                right: 12,
            }),
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
    }

    #[test]
    fn test_capstone_finder_variance() {
        let mut line = [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0].iter();

        let mut finder = LineScanner::new(PixelColor::White);
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            None,
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
        assert_eq!(
            Some(LinePosition {
                left: 1,
                stone: 6,
                right: 13,
            }),
            finder.advance(PixelColor::from(*line.next().unwrap()))
        );
    }

    fn img_from_array(array: [[u8; 3]; 3]) -> PreparedImage<BasicImageBuffer> {
        crate::PreparedImage::prepare_from_bitmap(3, 3, |x, y| array[y][x] == 1)
    }

    #[test]
    fn test_one_corner_finder() {
        let mut test_u = img_from_array([[1, 0, 1], [1, 0, 1], [1, 1, 1]]);
        let finder = FirstCornerFinder::new(Point { x: 0, y: 0 });

        let res = test_u.repaint_and_apply((0, 0), PixelColor::Tmp1, finder);
        assert_eq!(Point { x: 2, y: 2 }, res.best());
    }

    #[test]
    fn test_all_corner_finder() {
        let mut test_u = img_from_array([[1, 0, 1], [1, 0, 1], [1, 1, 1]]);
        let initial = Point { x: 0, y: 0 };
        let one_corner = Point { x: 2, y: 2 };
        let finder = AllCornerFinder::new(initial, one_corner);

        let res = test_u.repaint_and_apply((0, 0), PixelColor::Tmp1, finder);
        let corners = res.best();
        assert_eq!(Point { x: 2, y: 2 }, corners[0]);
        assert_eq!(Point { x: 0, y: 2 }, corners[1]);
        assert_eq!(Point { x: 0, y: 0 }, corners[2]);
        assert_eq!(Point { x: 2, y: 0 }, corners[3]);
    }

    #[test]
    fn test_minimal_capstone() {
        let array = [
            [1, 1, 1, 1, 1, 1, 1],
            [1, 0, 0, 0, 0, 0, 1],
            [1, 0, 1, 1, 1, 0, 1],
            [1, 0, 1, 1, 1, 0, 1],
            [1, 0, 1, 1, 1, 0, 1],
            [1, 0, 0, 0, 0, 0, 1],
            [1, 1, 1, 1, 1, 1, 1],
        ];

        let mut prep_image =
            crate::PreparedImage::prepare_from_bitmap(7, 7, |x, y| array[y][x] == 1);

        let caps = crate::capstones_from_image(&mut prep_image);
        assert_eq!(1, caps.len());
        assert_eq!(Point { x: 3, y: 3 }, caps[0].center)
    }

    fn load_and_find(img: &[u8]) -> Vec<CapStone> {
        let img = image::load_from_memory(img).unwrap().to_luma8();
        let w = img.width() as usize;
        let h = img.height() as usize;
        let mut img = crate::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            img.get_pixel(x as u32, y as u32).0[0]
        });
        crate::capstones_from_image(&mut img)
    }

    #[test]
    fn test_cap() {
        let caps = load_and_find(include_bytes!("test_data/cap.png"));
        assert_eq!(1, caps.len());
    }

    #[test]
    fn test_cap_connected() {
        let caps = load_and_find(include_bytes!("test_data/cap_connect.png"));
        assert_eq!(0, caps.len());
    }

    #[test]
    fn test_cap_disconnected() {
        let caps = load_and_find(include_bytes!("test_data/cap_disconnect.png"));
        assert_eq!(0, caps.len());
    }

    #[test]
    fn test_cap_size() {
        let caps = load_and_find(include_bytes!("test_data/cap_size.png"));
        assert_eq!(0, caps.len());
    }
}
