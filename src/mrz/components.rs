//! Connected ink blobs with their boxes: the candidate characters.

/// One 8-connected blob of ink.
#[derive(Debug, Clone, Copy)]
pub struct Blob {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub pixels: u32,
}

impl Blob {
    pub fn width(&self) -> f32 {
        self.right - self.left
    }
    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }
    pub fn centre_x(&self) -> f32 {
        (self.left + self.right) / 2.0
    }
    pub fn centre_y(&self) -> f32 {
        (self.top + self.bottom) / 2.0
    }
}

/// All blobs of the mask (boxes are end-exclusive in pixels). Blobs larger
/// than `max_extent` in either direction are dropped early (photos, frames).
pub fn find_blobs(mask: &[bool], width: usize, height: usize, max_extent: usize) -> Vec<Blob> {
    let mut seen = vec![false; mask.len()];
    let mut stack = Vec::new();
    let mut blobs = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut left, mut right, mut top, mut bottom, mut pixels) = (usize::MAX, 0, usize::MAX, 0, 0u32);
        while let Some(index) = stack.pop() {
            let (x, y) = (index % width, index / width);
            left = left.min(x);
            right = right.max(x);
            top = top.min(y);
            bottom = bottom.max(y);
            pixels += 1;
            for dy in -1i32..=1 {
                for dx in -1i32..=1 {
                    let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                    if nx < 0 || ny < 0 || nx >= width as i32 || ny >= height as i32 {
                        continue;
                    }
                    let neighbour = ny as usize * width + nx as usize;
                    if mask[neighbour] && !seen[neighbour] {
                        seen[neighbour] = true;
                        stack.push(neighbour);
                    }
                }
            }
        }
        if right - left < max_extent && bottom - top < max_extent {
            blobs.push(Blob { left: left as f32, top: top as f32, right: (right + 1) as f32, bottom: (bottom + 1) as f32, pixels });
        }
    }
    blobs
}
