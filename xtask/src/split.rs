//! Code splitting of the app's wasm at the Leptos `#[lazy_route]` points.
//!
//! Trunk 0.21 cannot split a wasm module, so after `trunk build --release` this
//! step redoes the wasm part of Trunk's pipeline from the same cargo output
//! (`target/wasm32-unknown-unknown/release/navsync.wasm`, linked with
//! `--emit-relocs` by `.cargo/config.toml`):
//!
//! 1. `wasm_split_cli_support` cuts it into the main module and one module per
//!    lazy route (plus shared chunks), and writes `__wasm_split.js`, the loader
//!    the main module imports to fetch a route's module on first visit;
//! 2. `wasm-bindgen` (`--keep-lld-exports`, which the split modules link
//!    against) generates the JS glue for the main module under Trunk's hashed
//!    name, replacing Trunk's files in `dist/`;
//! 3. `wasm-opt` optimises every module as Trunk did (`-Oz`); the route
//!    modules and the loader get content hashes in their names (so the server
//!    caches them for good, like Trunk's files);
//! 4. the `integrity` attributes Trunk wrote into `dist/index.html` are
//!    recomputed for the replaced files.
//!
//! The first load (the sign-in page) is then index.html, the CSS, the JS glue,
//! the loader `__wasm_split-<hash>.js` and the main `*_bg.wasm`; the route modules are fetched
//! when a lazy route is first visited (see [`crate::assets`]).

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use sha2::{Digest, Sha384};

use crate::{root, sh};

/// The loader module the main wasm imports the split-module loaders from.
pub const LINK_NAME: &str = "__wasm_split.js";

/// The same wasm-opt settings Trunk applies (`data-wasm-opt="z"`), with the
/// features the Rust wasm32 target enables spelled out because split modules
/// carry no `target_features` section.
const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// Splits the freshly built app in `dist` (see the module docs). Returns the
/// file names of the lazily loaded modules written into `dist`.
pub fn split_app(dist: &Path) -> Result<Vec<String>, String> {
    let input_path = root().join("target/wasm32-unknown-unknown/release/navsync.wasm");
    let input = std::fs::read(&input_path)
        .map_err(|e| format!("{}: {e} (did trunk build it?)", input_path.display()))?;
    let stem = trunk_stem(dist)?;
    let work = root().join("target/wasm-split");
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let main_split = work.join("main.wasm");
    let main_module = format!("./{stem}.js");
    let link_name = format!("./{LINK_NAME}");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &work;
        opts.main_out_path = &main_split;
        opts.main_module = &main_module;
        opts.link_name = &link_name;
        opts
    })
    .map_err(|e| format!("splitting {}: {e:?}", input_path.display()))?;

    let bindgen = work.join("bindgen");
    sh(Command::new("wasm-bindgen")
        .args(["--target", "web", "--keep-lld-exports", "--no-typescript"])
        .arg("--out-name")
        .arg(&stem)
        .arg("--out-dir")
        .arg(&bindgen)
        .arg(&main_split))?;

    // Every module and the loader get a content hash in their names (like
    // Trunk's files), so the server may cache them for good and a redeploy
    // never mixes old route modules with a new main module.
    let loader =
        std::fs::read_to_string(work.join(LINK_NAME)).map_err(|e| format!("{LINK_NAME}: {e}"))?;
    let mut loader = canonical_loader(&loader);
    let mut lazy = Vec::new();
    for module in &split.split_modules {
        let name = file_name(module)?;
        let optimised = work.join(format!("opt-{name}"));
        wasm_opt(module, &optimised)?;
        let hashed = hashed_name(&name, &read(&optimised)?);
        let (old_ref, new_ref) = (format!("\"./{name}\""), format!("\"./{hashed}\""));
        if !loader.contains(&old_ref) {
            return Err(format!("{LINK_NAME} does not load {name}"));
        }
        loader = loader.replace(&old_ref, &new_ref);
        copy(&optimised, &dist.join(&hashed))?;
        lazy.push(hashed);
    }
    lazy.sort();
    let loader_name = hashed_name(LINK_NAME, loader.as_bytes());
    write(&dist.join(&loader_name), loader.as_bytes())?;

    let glue = std::fs::read_to_string(bindgen.join(format!("{stem}.js")))
        .map_err(|e| format!("{stem}.js: {e}"))?;
    let glue = import_loader_as(&glue, &loader_name)
        .ok_or_else(|| format!("{stem}.js does not import {LINK_NAME}"))?;
    write(&dist.join(format!("{stem}.js")), glue.as_bytes())?;
    wasm_opt(
        &bindgen.join(format!("{stem}_bg.wasm")),
        &dist.join(format!("{stem}_bg.wasm")),
    )?;

    update_integrity(dist, &[format!("{stem}.js"), format!("{stem}_bg.wasm")])?;
    println!(
        "xtask: split the wasm into the main module and {} lazily loaded modules",
        lazy.len()
    );
    Ok(lazy)
}

/// `navsync-<hash>`: the name Trunk gave the JS glue and the wasm.
fn trunk_stem(dist: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if let Some(stem) = name.strip_suffix("_bg.wasm")
            && stem.starts_with("navsync-")
        {
            return Ok(stem.to_string());
        }
    }
    Err(format!("no navsync-*_bg.wasm in {}", dist.display()))
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("no file name in {}", path.display()))
}

/// The JS glue importing the loader from `loader_name`. Only the module
/// specifiers change: the wasm's import module name (the key of the imports
/// object the glue passes to the wasm) stays `./__wasm_split.js`.
fn import_loader_as(glue: &str, loader_name: &str) -> Option<String> {
    let old = format!("from \"./{LINK_NAME}\"");
    glue.contains(&old)
        .then(|| glue.replace(&old, &format!("from \"./{loader_name}\"")))
}

/// The loader with its lists of names shared with the main module (written in
/// hash-set order by the splitter) sorted, so that a rebuild of the same code
/// writes the same bytes.
fn canonical_loader(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    for line in js.split_inclusive('\n') {
        let shared = line.contains("initSync(") || line.contains("Object.assign(sharedImports");
        match (line.find("{ "), line.find(",  }")) {
            (Some(open), Some(close)) if shared && open < close => {
                let mut names: Vec<&str> = line[open + 2..close].split(", ").collect();
                names.sort_unstable();
                out.push_str(&line[..open + 2]);
                out.push_str(&names.join(", "));
                out.push_str(&line[close..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// `name` with `-<16 hex digits of the SHA-384 of data>` before its extension.
fn hashed_name(name: &str, data: &[u8]) -> String {
    let hash: String = Sha384::digest(data)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    match name.rsplit_once('.') {
        Some((base, ext)) => format!("{base}-{hash}.{ext}"),
        None => format!("{name}-{hash}"),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, data: &[u8]) -> Result<(), String> {
    std::fs::write(path, data).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn wasm_opt(from: &Path, to: &Path) -> Result<(), String> {
    sh(Command::new("wasm-opt")
        .args(WASM_OPT_ARGS)
        .arg(from)
        .arg("-o")
        .arg(to))
}

/// Rewrites `integrity="sha384-…"` of each of `files` in `dist/index.html`.
fn update_integrity(dist: &Path, files: &[String]) -> Result<(), String> {
    let index = dist.join("index.html");
    let mut html =
        std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    for file in files {
        let data = std::fs::read(dist.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let sri = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&data))
        );
        html = replace_integrity(&html, &format!("href=\"/{file}\""), &sri)
            .ok_or_else(|| format!("no integrity for /{file} in {}", index.display()))?;
    }
    std::fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))
}

/// The `integrity` value of the tag holding `href` in `html`, replaced by `sri`.
fn replace_integrity(html: &str, href: &str, sri: &str) -> Option<String> {
    let at = html.find(href)?;
    let tag_end = at + html[at..].find('>')?;
    let attr = "integrity=\"";
    let start = at + html[at..tag_end].find(attr)? + attr.len();
    let end = start + html[start..].find('"')?;
    Some(format!("{}{sri}{}", &html[..start], &html[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_carry_16_hex_digits_of_the_content() {
        let a = hashed_name("chunk_1.wasm", b"one");
        assert!(a.starts_with("chunk_1-") && a.ends_with(".wasm"), "{a}");
        assert_eq!(a.len(), "chunk_1-".len() + 16 + ".wasm".len());
        assert_eq!(a, hashed_name("chunk_1.wasm", b"one"));
        assert_ne!(a, hashed_name("chunk_1.wasm", b"two"));
    }

    #[test]
    fn loader_lists_are_sorted_and_the_rest_kept() {
        let js = "let a = { b, a };\n        const { memory, __wasm_split_shared0, __indirect_function_table,  } = initSync(undefined, undefined);\n        Object.assign(sharedImports.__wasm_split, { memory, __indirect_function_table,  });\n";
        assert_eq!(
            canonical_loader(js),
            "let a = { b, a };\n        const { __indirect_function_table, __wasm_split_shared0, memory,  } = initSync(undefined, undefined);\n        Object.assign(sharedImports.__wasm_split, { __indirect_function_table, memory,  });\n"
        );
    }

    #[test]
    fn glue_imports_the_hashed_loader_but_keeps_the_wasm_import_name() {
        let glue = "import * as import1 from \"./__wasm_split.js\"\nconst imports = { \"./__wasm_split.js\": import1 };\n";
        assert_eq!(
            import_loader_as(glue, "__wasm_split-0123456789abcdef.js").unwrap(),
            "import * as import1 from \"./__wasm_split-0123456789abcdef.js\"\nconst imports = { \"./__wasm_split.js\": import1 };\n"
        );
        assert!(import_loader_as("no import", "x.js").is_none());
    }

    #[test]
    fn replaces_only_the_integrity_of_the_named_file() {
        let html = r#"<link rel="modulepreload" href="/a.js" integrity="sha384-old"><link rel="preload" href="/a_bg.wasm" integrity="sha384-keep">"#;
        let out = replace_integrity(html, "href=\"/a.js\"", "sha384-new").unwrap();
        assert_eq!(
            out,
            r#"<link rel="modulepreload" href="/a.js" integrity="sha384-new"><link rel="preload" href="/a_bg.wasm" integrity="sha384-keep">"#
        );
        assert!(replace_integrity(html, "href=\"/b.js\"", "x").is_none());
    }
}
