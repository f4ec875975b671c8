//! id-capture's check of PATCHES.md (not an upstream test): every pointer
//! `FILE:FIRST-LAST` names a file of this copy and a line range inside it that
//! holds a `PATCH(id-capture)` marker, and every marker in the sources lies in
//! some pointer's range. Editing a patched file without updating PATCHES.md
//! moves markers out of their ranges and fails here.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const MARKER: &str = "PATCH(id-capture)";

struct Pointer {
    file: String,
    first: usize,
    last: usize,
}

/// The backticked spans of PATCHES.md that read `FILE:FIRST-LAST` or `FILE:LINE`.
fn pointers(patches_md: &str) -> Vec<Pointer> {
    let spans = patches_md.split('`').skip(1).step_by(2);
    spans
        .filter_map(|span| {
            let (file, lines) = span.rsplit_once(':')?;
            if file.is_empty() || file.contains(char::is_whitespace) || !file.contains('.') {
                return None;
            }
            let (first, last) = lines.split_once('-').unwrap_or((lines, lines));
            Some(Pointer {
                file: file.to_string(),
                first: first.parse().ok()?,
                last: last.parse().ok()?,
            })
        })
        .collect()
}

/// Every file under `dir` (recursively) whose name ends with `.rs`.
fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_patches_md_pointer_covers_a_marker_and_every_marker_is_pointed_at() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let patches_md = fs::read_to_string(root.join("PATCHES.md")).unwrap();
    let pointers = pointers(&patches_md);
    assert!(pointers.len() >= 20, "PATCHES.md has only {} pointers", pointers.len());

    let mut ranges: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for Pointer { file, first, last } in &pointers {
        let text = fs::read_to_string(root.join(file)).unwrap_or_else(|_| panic!("`{file}:{first}-{last}`: no such file"));
        let lines: Vec<&str> = text.lines().collect();
        assert!(1 <= *first && first <= last && *last <= lines.len(), "`{file}:{first}-{last}`: outside its {} lines", lines.len());
        assert!(
            lines[first - 1..*last].iter().any(|line| line.contains(MARKER)),
            "`{file}:{first}-{last}` holds no {MARKER} marker (lines moved?)"
        );
        ranges.entry(file).or_default().push((*first, *last));
    }

    let mut sources = vec![root.join("Cargo.toml")];
    rust_files(&root.join("src"), &mut sources);
    for path in sources {
        let file = path.strip_prefix(root).unwrap().to_str().unwrap().replace('\\', "/");
        let text = fs::read_to_string(&path).unwrap();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            if line.contains(MARKER) {
                let covered = ranges.get(file.as_str()).is_some_and(|r| r.iter().any(|&(a, b)| a <= number && number <= b));
                assert!(covered, "{file}:{number} is a {MARKER} marker that no PATCHES.md pointer covers");
            }
        }
    }
}
