//! Precompression of the built app and the first-load size budget.
//!
//! The server sends `dist/*.br` / `*.gz` when the browser accepts them
//! (tower-http `ServeDir::precompressed_*`), so the sizes measured here are the
//! bytes a browser downloads on its first visit.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Files a first visit downloads: the page, the JS (the glue and the split
/// loader), the main wasm module (`*_bg.wasm`, wasm-bindgen's name) and the
/// CSS. The other wasm modules are the lazy routes' (`crate::split`), fetched
/// when such a route is first visited.
fn is_first_load(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html" | "js" | "css") => true,
        Some("wasm") => is_main_wasm(path),
        _ => false,
    }
}

fn is_main_wasm(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with("_bg.wasm"))
}

fn is_compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "js" | "wasm" | "css" | "svg" | "json" | "txt" | "ico" | "webmanifest")
    )
}

fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)
        .expect("compressing into memory cannot fail");
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data)
        .expect("compressing into memory cannot fail");
    enc.finish().expect("compressing into memory cannot fail")
}

/// Writes `.br` and `.gz` beside every compressible file in `dist` and returns
/// a table of raw / gzip / brotli sizes.
pub fn precompress_and_measure(dist: &Path) -> Result<String, String> {
    let mut report =
        String::from("xtask: file                              raw      gzip    brotli\n");
    let (mut raw_total, mut gz_total, mut br_total) = (0, 0, 0);
    for path in files(dist)? {
        if !is_compressible(&path) {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let br = brotli(&data);
        let gz = gzip(&data);
        std::fs::write(with_suffix(&path, "br"), &br).map_err(|e| e.to_string())?;
        std::fs::write(with_suffix(&path, "gz"), &gz).map_err(|e| e.to_string())?;
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .display()
            .to_string();
        let _ = writeln!(
            report,
            "xtask: {name:<32} {:>8} {:>8} {:>8}",
            data.len(),
            gz.len(),
            br.len()
        );
        if is_first_load(&path) {
            raw_total += data.len();
            gz_total += gz.len();
            br_total += br.len();
        }
    }
    let _ = writeln!(
        report,
        "xtask: first load (html+js+wasm+css)   {raw_total:>8} {gz_total:>8} {br_total:>8}"
    );
    Ok(report)
}

/// Brotli bytes of the first load, from the `.br` files written by
/// [`precompress_and_measure`].
pub fn first_load(dist: &Path) -> Result<u64, String> {
    let mut total = 0;
    let mut seen_wasm = false;
    for path in files(dist)? {
        if !is_first_load(&path) {
            continue;
        }
        seen_wasm |= is_main_wasm(&path);
        let br = with_suffix(&path, "br");
        total += std::fs::metadata(&br)
            .map_err(|e| format!("{} (was dist precompressed?): {e}", br.display()))?
            .len();
    }
    if !seen_wasm {
        return Err(format!("no *_bg.wasm file in {}", dist.display()));
    }
    Ok(total)
}

/// Fails when the first load (`first_load`, brotli bytes) exceeds `budget`.
pub fn check_budget(first_load: u64, budget: u64) -> Result<(), String> {
    if first_load > budget {
        return Err(format!(
            "first load is {first_load} bytes brotli, {} over the budget of {budget}",
            first_load - budget
        ));
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompresses_and_counts_only_first_load_files() {
        let dir = std::env::temp_dir().join(format!("xtask-assets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<html>".repeat(1000)).unwrap();
        std::fs::write(dir.join("app-1_bg.wasm"), vec![0u8; 5000]).unwrap();
        std::fs::write(dir.join("lazy_route_view_1.wasm"), vec![1u8; 5000]).unwrap();
        std::fs::write(dir.join("logo.png"), vec![7u8; 5000]).unwrap();
        precompress_and_measure(&dir).unwrap();
        assert!(dir.join("index.html.br").exists());
        assert!(dir.join("index.html.gz").exists());
        assert!(!dir.join("logo.png.br").exists());
        // A lazily loaded route module is precompressed but not first load.
        assert!(dir.join("lazy_route_view_1.wasm.br").exists());
        let total = first_load(&dir).unwrap();
        let expected = std::fs::metadata(dir.join("index.html.br")).unwrap().len()
            + std::fs::metadata(dir.join("app-1_bg.wasm.br"))
                .unwrap()
                .len();
        assert_eq!(total, expected);
        assert!(total < 6000 + 5000, "compressed: {total}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn budget_fails_only_above_the_limit() {
        assert!(check_budget(256_000, 256_000).is_ok());
        let error = check_budget(256_001, 256_000).unwrap_err();
        assert!(error.contains("1 over the budget of 256000"), "{error}");
    }

    #[test]
    fn first_load_fails_without_wasm() {
        let dir = std::env::temp_dir().join(format!("xtask-nowasm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        precompress_and_measure(&dir).unwrap();
        assert!(first_load(&dir).unwrap_err().contains("no *_bg.wasm"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
