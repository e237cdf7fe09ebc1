//! `cargo xtask deny`: licences, bans and sources of the dependency tree with
//! cargo-deny (rules in `deny.toml`). Advisories are not checked: their
//! database lives on GitHub, which this machine cannot reach.

use crate::{cargo, sh, step};

/// Installs cargo-deny when missing, then runs the offline checks.
pub fn deny() -> Result<(), String> {
    step("cargo-deny", || {
        let found = cargo()
            .args(["deny", "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if found {
            Ok(())
        } else {
            sh(cargo().args(["install", "--locked", "cargo-deny"]))
        }
    })?;
    step("cargo deny check licenses bans sources", || {
        sh(cargo().args([
            "deny",
            "--all-features",
            "check",
            "licenses",
            "bans",
            "sources",
        ]))
    })?;
    Ok(())
}
