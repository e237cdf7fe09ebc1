//! Form helpers: turning inputs into request values and finding field errors.

use navsync_api::FieldError;

/// Parses a whole-number input such as a seat count.
///
/// Anything that is not a number becomes 0 and anything too large becomes
/// `u32::MAX`, so the shared range rule reports it with its usual message.
pub fn parse_count(input: &str) -> u32 {
    let digits = input.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    digits.parse().unwrap_or(u32::MAX)
}

/// The first error reported for `field`, if any.
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a FieldError> {
    errors.iter().find(|e| e.field == field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_parse_or_fail_the_range_rule() {
        assert_eq!(parse_count(" 25 "), 25);
        assert_eq!(parse_count(""), 0);
        assert_eq!(parse_count("-3"), 0);
        assert_eq!(parse_count("1e3"), 0);
        assert_eq!(parse_count("99999999999"), u32::MAX);
    }

    #[test]
    fn finds_the_error_of_a_field() {
        let errors = vec![FieldError {
            field: "email".into(),
            code: "required".into(),
            message: "This field is required.".into(),
        }];
        assert_eq!(
            error_for(&errors, "email").map(|e| e.code.as_str()),
            Some("required")
        );
        assert!(error_for(&errors, "password").is_none());
    }
}
