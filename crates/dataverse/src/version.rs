//! Dataverse version strings (`9.2.25112.171`) and the supported floor, 8.2.

/// Oldest supported version (major, minor).
pub const MINIMUM: (u32, u32) = (8, 2);

/// Parses `major.minor[.build[.revision]]` into (major, minor).
pub fn parse(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// True when the version is 8.2 or later.
pub fn is_supported(version: &str) -> bool {
    parse(version).is_some_and(|v| v >= MINIMUM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_is_eight_two() {
        assert!(is_supported("9.2.25112.171"));
        assert!(is_supported("8.2.0.0"));
        assert!(is_supported("8.10"));
        assert!(!is_supported("8.1.9.9"));
        assert!(!is_supported("8.0"));
        assert!(!is_supported("7.9.1"));
        assert!(!is_supported("nine"));
        assert!(!is_supported(""));
    }
}
