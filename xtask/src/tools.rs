//! Checks and installs of the toolchain pieces. Each piece is installed only
//! when `<tool> --version` does not already report the wanted version, so a
//! second run takes about a second. Facts behind the choices are in
//! ../shared/TOOLCHAIN.md: Trunk 0.21.14 (0.22 needs a newer rustc),
//! wasm-bindgen-cli at exactly Cargo.lock's version and without `--locked`,
//! wasm-opt from npm's `binaryen` (Debian's 108 breaks the page at run time).

use std::process::Command;

use crate::{root, sh};

const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_VERSION: &str = "132";

/// Installs whatever is missing; `with_test_tools` adds Chromium and ChromeDriver.
pub fn ensure_all(with_test_tools: bool) -> Result<(), String> {
    ensure_rust_parts()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()?;
    if with_test_tools {
        ensure_chromium()?;
        ensure_npm_test_tools()?;
    }
    Ok(())
}

/// The Chromium binary (`CHROME_PATH` overrides).
pub fn chromium_path() -> String {
    std::env::var("CHROME_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Where the tests find ChromeDriver (`CHROMEDRIVER` overrides).
pub fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// Output of `program args…` (stdout + stderr), or `None` when it cannot run.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Some(text)
}

fn ensure_rust_parts() -> Result<(), String> {
    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let components = output_of("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    for component in ["rustfmt", "clippy"] {
        if !components.lines().any(|l| l.starts_with(component)) {
            sh(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

fn ensure_trunk() -> Result<(), String> {
    let have = output_of("trunk", &["--version"]).unwrap_or_default();
    if have.split_whitespace().any(|w| w == TRUNK_VERSION) {
        return Ok(());
    }
    println!("xtask: installing trunk {TRUNK_VERSION} (about 15 minutes on a cold machine)");
    sh(Command::new("cargo").args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))
}

/// The `wasm-bindgen` version pinned in Cargo.lock.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    parse_locked_version(&lock, "wasm-bindgen")
        .ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_string())
}

fn parse_locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim();
            return version
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string);
        }
    }
    None
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = locked_wasm_bindgen_version()?;
    let have = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output_of("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    if have.split_whitespace().any(|w| w == version) && runner.contains(&version) {
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {version} (about 6 minutes)");
    // Without --locked: its own lockfile wants a crate version the registry
    // mirror here does not have (TOOLCHAIN.md).
    sh(Command::new("cargo").args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &version,
    ]))
}

fn ensure_wasm_opt() -> Result<(), String> {
    let have = output_of("wasm-opt", &["--version"]).unwrap_or_default();
    if have.contains(&format!("version {BINARYEN_VERSION}")) {
        return Ok(());
    }
    println!("xtask: installing wasm-opt (npm binaryen@{BINARYEN_VERSION}) into /usr/local");
    sh(Command::new("npm").args([
        "install",
        "--global",
        "--prefix",
        "/usr/local",
        &format!("binaryen@{BINARYEN_VERSION}"),
    ]))?;
    let have = output_of("wasm-opt", &["--version"]).unwrap_or_default();
    if !have.contains(&format!("version {BINARYEN_VERSION}")) {
        return Err(format!(
            "`wasm-opt --version` says {:?} after the install; put /usr/local/bin before /usr/bin in PATH \
             (Debian's binaryen breaks the app at run time)",
            have.trim()
        ));
    }
    Ok(())
}

fn ensure_chromium() -> Result<(), String> {
    let chromium = output_of("chromium", &["--version"]);
    let driver = output_of(&chromedriver_path(), &["--version"]);
    if chromium.is_some() && driver.is_some() {
        return Ok(());
    }
    println!("xtask: installing Debian's chromium and chromium-driver");
    sh(Command::new("apt-get").args(["update", "-qq"]))?;
    sh(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The npm tools the browser tests use (`tests/package-lock.json`).
fn ensure_npm_test_tools() -> Result<(), String> {
    ensure_npm_dir("tests", "the browser tests' npm tools")
}

/// Installs `<root>/<dir>`'s npm lock file with `npm ci` when its
/// `node_modules` does not match the lock file.
pub fn ensure_npm_dir(dir: &str, what: &str) -> Result<(), String> {
    let dir = root().join(dir);
    let lock = std::fs::read_to_string(dir.join("package-lock.json"))
        .map_err(|e| format!("cannot read {}/package-lock.json: {e}", dir.display()))?;
    let installed =
        std::fs::read_to_string(dir.join("node_modules/.package-lock.json")).unwrap_or_default();
    let wanted = npm_versions(&lock);
    if !wanted.is_empty() && wanted == npm_versions(&installed) {
        return Ok(());
    }
    println!("xtask: installing {what} (npm ci)");
    sh(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir))
}

/// `node_modules/<name>@<version>` pairs of an npm lock file, sorted.
fn npm_versions(lock: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in lock.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("\"node_modules/") {
            current = rest.split('"').next().map(str::to_string);
        } else if let (Some(name), Some(version)) = (
            current.as_ref(),
            line.strip_prefix("\"version\": \"")
                .and_then(|v| v.split('"').next()),
        ) {
            out.push(format!("{name}@{version}"));
            current = None;
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_lock_versions_are_read() {
        let lock = r#"{"packages": {
            "": {"name": "x", "version": "1.0.0"},
            "node_modules/axe-core": {
              "version": "4.14.1",
              "license": "MPL-2.0"
            }
        }}"#;
        let pretty = lock.replace(", \"", ",\n\"").replace("{\"", "{\n\"");
        assert_eq!(npm_versions(&pretty), ["axe-core@4.14.1"]);
    }

    #[test]
    fn reads_exact_version_from_lockfile() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            parse_locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(parse_locked_version(lock, "trunk"), None);
    }

    #[test]
    fn workspace_lockfile_pins_wasm_bindgen() {
        let version = locked_wasm_bindgen_version().unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }
}
