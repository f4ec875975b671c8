//! Finding the MRZ band: blobs of character size are chained left to right
//! into text lines (following slight rotation and perspective), and the
//! lowest set of 2 or 3 equally long, evenly spaced lines of 30, 36 or 44
//! characters is taken. Each line becomes a fitted row of cell centres.

use super::components::Blob;

/// A straight-ish run of character cells: centre of cell `i` and the vector
/// from one cell to the next (one pitch), in working-image coordinates.
#[derive(Debug, Clone)]
pub struct CellRow {
    pub centres: Vec<(f32, f32)>,
    pub steps: Vec<(f32, f32)>,
    /// Height of the line's taller glyphs (75th percentile of its blobs), in
    /// the same units: with the pitch it says how large the print is drawn.
    pub glyph_height: f32,
}

/// A chained line of blobs with its fitted geometry.
#[derive(Debug, Clone)]
struct ChainLine {
    /// Cell index of each blob along the line, starting at 0.
    indices: Vec<i32>,
    blobs: Vec<Blob>,
    cell_count: usize,
    pitch: f32,
    mid_y: f32,
    start_x: f32,
}

/// At most this many band hypotheses are classified (bounds time on odd pages).
const MAX_CANDIDATES: usize = 4;

/// Candidate MRZs, best first: each is the list of line rows (2 or 3).
pub fn find_mrz_rows(blobs: &[Blob], min_height: f32, max_height: f32) -> Vec<Vec<CellRow>> {
    let characters = character_blobs(blobs, min_height, max_height);
    let mut lines: Vec<ChainLine> = chains(&characters).into_iter().filter_map(|chain| measure(&characters, &chain)).collect();
    lines.sort_by(|a, b| a.mid_y.total_cmp(&b.mid_y));

    let mut candidates: Vec<(f32, Vec<CellRow>)> = Vec::new();
    for &(count, length) in &[(3usize, 30usize), (2, 36), (2, 44)] {
        for first in 0..lines.len() {
            let Some(group) = lines.get(first..first + count) else { break };
            if !group.iter().all(|line| line.cell_count.abs_diff(length) <= 1) {
                continue;
            }
            let pitch = group.iter().map(|line| line.pitch).sum::<f32>() / count as f32;
            let evenly_spaced = group.windows(2).all(|pair| {
                let gap = pair[1].mid_y - pair[0].mid_y;
                gap > 1.15 * pitch && gap < 2.6 * pitch && (pair[1].start_x - pair[0].start_x).abs() < 2.5 * pitch
            });
            if !evenly_spaced {
                continue;
            }
            for rows in hypotheses(group, length) {
                // Lower on the page is better; exact lengths before repaired ones.
                let exact = group.iter().filter(|line| line.cell_count == length).count() as f32;
                candidates.push((group[count - 1].mid_y + exact * 1000.0, rows));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    candidates.into_iter().map(|(_, rows)| rows).take(MAX_CANDIDATES).collect()
}

/// Blobs of character size; blobs as wide as several characters (touching
/// fillers under blur) are cut into character-wide pieces.
fn character_blobs(blobs: &[Blob], min_height: f32, max_height: f32) -> Vec<Blob> {
    let mut characters = Vec::new();
    for blob in blobs {
        let (width, height) = (blob.width(), blob.height());
        let sparse = (blob.pixels as f32) < 0.06 * width * height;
        if height < min_height || height > max_height || width < 0.12 * height || width > 8.0 * height || sparse {
            continue;
        }
        if width > 1.35 * height {
            let pieces = ((width + 0.28 * height) / (1.05 * height)).round().max(2.0) as usize;
            let piece = width / pieces as f32;
            for index in 0..pieces {
                let left = blob.left + piece * index as f32;
                characters.push(Blob { left, right: left + piece, ..*blob });
            }
        } else {
            characters.push(*blob);
        }
    }
    characters.sort_by(|a, b| a.centre_x().total_cmp(&b.centre_x()));
    characters
}

/// Links each blob to its best right-hand neighbour and follows the links.
fn chains(blobs: &[Blob]) -> Vec<Vec<usize>> {
    let mut next: Vec<Option<(usize, f32)>> = vec![None; blobs.len()];
    for (index, blob) in blobs.iter().enumerate() {
        let height = blob.height();
        let mut best: Option<(usize, f32)> = None;
        for (other, candidate) in blobs.iter().enumerate().skip(index + 1) {
            let dx = candidate.centre_x() - blob.centre_x();
            // A filler `<` is ~0.6 of a letter's height: reach past one pitch from it.
            if dx > 2.3 * height {
                break;
            }
            let dy = (candidate.centre_y() - blob.centre_y()).abs();
            let ratio = candidate.height() / height;
            if dx < 0.55 * height || dy > 0.3 * height.max(candidate.height()) || !(0.6..=1.6).contains(&ratio) {
                continue;
            }
            let cost = (dx - 1.05 * height).abs() / height + 2.0 * dy / height;
            if best.is_none_or(|(_, best_cost)| cost < best_cost) {
                best = Some((other, cost));
            }
        }
        next[index] = best;
    }
    // Each blob keeps only its cheapest incoming link.
    let mut incoming: Vec<Option<(usize, f32)>> = vec![None; blobs.len()];
    for (from, link) in next.iter().enumerate() {
        if let Some((to, cost)) = *link {
            if incoming[to].is_none_or(|(_, best)| cost < best) {
                incoming[to] = Some((from, cost));
            }
        }
    }
    let mut chains = Vec::new();
    for start in 0..blobs.len() {
        if incoming[start].is_some() {
            continue;
        }
        let mut chain = vec![start];
        let mut current = start;
        while let Some((to, _)) = next[current] {
            if incoming[to].map(|(from, _)| from) != Some(current) || chain.len() > 60 {
                break;
            }
            chain.push(to);
            current = to;
        }
        if chain.len() >= 24 {
            chains.push(chain);
        }
    }
    chains
}

fn median(values: &mut [f32]) -> f32 {
    values.sort_by(f32::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Assigns cell indices along a chain (gaps of several pitches allowed).
fn measure(blobs: &[Blob], chain: &[usize]) -> Option<ChainLine> {
    let members: Vec<Blob> = chain.iter().filter_map(|&index| blobs.get(index).copied()).collect();
    let mut gaps: Vec<f32> = members.windows(2).map(|pair| pair[1].centre_x() - pair[0].centre_x()).collect();
    let pitch = median(&mut gaps);
    if pitch <= 0.0 {
        return None;
    }
    let mut indices = vec![0i32];
    for pair in members.windows(2) {
        let step = ((pair[1].centre_x() - pair[0].centre_x()) / pitch).round().max(1.0) as i32;
        indices.push(indices.last().copied().unwrap_or(0) + step);
    }
    let cell_count = indices.last().copied().unwrap_or(0) as usize + 1;
    let mid_y = members.iter().map(Blob::centre_y).sum::<f32>() / members.len() as f32;
    let start_x = members.first()?.centre_x();
    Some(ChainLine { indices, blobs: members, cell_count, pitch, mid_y, start_x })
}

/// Row geometries for a group, covering a missing or extra cell at either end.
fn hypotheses(group: &[ChainLine], length: usize) -> Vec<Vec<CellRow>> {
    let per_line: Vec<Vec<CellRow>> = group
        .iter()
        .map(|line| {
            let offsets: Vec<i32> = match line.cell_count as i32 - length as i32 {
                0 => vec![0],
                -1 => vec![0, 1],
                _ => vec![0, -1],
            };
            offsets.into_iter().filter_map(|offset| fit_row(line, offset, length)).collect()
        })
        .collect();
    let mut combinations: Vec<Vec<CellRow>> = vec![Vec::new()];
    for options in per_line {
        let mut extended = Vec::new();
        for partial in &combinations {
            for option in &options {
                let mut next = partial.clone();
                next.push(option.clone());
                extended.push(next);
            }
        }
        combinations = extended;
    }
    combinations
}

/// Least-squares quadratic fits x(i), y(i) of blob centres against cell
/// index; cell `i` of the row is blob index `i - offset`.
fn fit_row(line: &ChainLine, offset: i32, length: usize) -> Option<CellRow> {
    let points: Vec<(f32, f32, f32)> = line
        .indices
        .iter()
        .zip(&line.blobs)
        .map(|(&index, blob)| ((index + offset) as f32, blob.centre_x(), blob.centre_y()))
        .collect();
    let x_fit = quadratic_fit(points.iter().map(|&(i, x, _)| (i, x)))?;
    let y_fit = quadratic_fit(points.iter().map(|&(i, _, y)| (i, y)))?;
    let evaluate = |c: [f32; 3], i: f32| c[0] + c[1] * i + c[2] * i * i;
    let derivative = |c: [f32; 3], i: f32| c[1] + 2.0 * c[2] * i;
    let centres = (0..length).map(|i| (evaluate(x_fit, i as f32), evaluate(y_fit, i as f32))).collect();
    let steps = (0..length).map(|i| (derivative(x_fit, i as f32), derivative(y_fit, i as f32))).collect();
    let mut heights: Vec<f32> = line.blobs.iter().map(Blob::height).collect();
    heights.sort_by(f32::total_cmp);
    let glyph_height = heights.get(heights.len() * 3 / 4).copied().unwrap_or(0.0);
    Some(CellRow { centres, steps, glyph_height })
}

/// Coefficients `[a, b, c]` of `a + b i + c i²`, solved in centred coordinates.
fn quadratic_fit(points: impl Iterator<Item = (f32, f32)>) -> Option<[f32; 3]> {
    let points: Vec<(f64, f64)> = points.map(|(i, v)| (f64::from(i), f64::from(v))).collect();
    if points.len() < 4 {
        return None;
    }
    let mean_i = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    let mut s = [0f64; 5];
    let mut t = [0f64; 3];
    for &(i, v) in &points {
        let u = i - mean_i;
        let mut power = 1.0;
        for k in 0..5 {
            s[k] += power;
            if k < 3 {
                t[k] += power * v;
            }
            power *= u;
        }
    }
    let m = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]];
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(m);
    if d.abs() < 1e-9 {
        return None;
    }
    let mut solution = [0f64; 3];
    for (column, value) in solution.iter_mut().enumerate() {
        let mut replaced = m;
        for row in 0..3 {
            replaced[row][column] = t[row];
        }
        *value = det(replaced) / d;
    }
    // Back from u = i - mean to i.
    let [a, b, c] = solution;
    Some([(a - b * mean_i + c * mean_i * mean_i) as f32, (b - 2.0 * c * mean_i) as f32, c as f32])
}
