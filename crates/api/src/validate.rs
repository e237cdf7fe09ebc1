//! Field rules shared by the app's forms and the server's handlers, so a form
//! shows the same message the server would send.

use crate::error::FieldError;

/// One rule a text field must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Not empty after trimming.
    Required,
    /// At least this many characters.
    MinLen(usize),
    /// At most this many characters.
    MaxLen(usize),
    /// Looks like an email address (`local@domain.tld`, no spaces).
    Email,
}

/// Checks `value` against `rules` in order and returns the first failure.
/// An empty optional field (no `Required`) passes the other rules.
pub fn check(field: &str, value: &str, rules: &[Rule]) -> Option<FieldError> {
    let trimmed = value.trim();
    let required = rules.contains(&Rule::Required);
    if trimmed.is_empty() {
        return required.then(|| err(field, "required", "This field is required."));
    }
    let len = value.chars().count();
    for rule in rules {
        match *rule {
            Rule::Required => {}
            Rule::MinLen(min) if len < min => {
                return Some(err(
                    field,
                    "too_short",
                    &format!("Use at least {min} characters."),
                ));
            }
            Rule::MaxLen(max) if len > max => {
                return Some(err(
                    field,
                    "too_long",
                    &format!("Use at most {max} characters."),
                ));
            }
            Rule::Email if !is_email(trimmed) => {
                return Some(err(
                    field,
                    "email",
                    "Enter an email address like name@example.com.",
                ));
            }
            _ => {}
        }
    }
    None
}

/// Checks that `value` lies in `min..=max`.
pub fn range(field: &str, value: u32, min: u32, max: u32) -> Option<FieldError> {
    (!(min..=max).contains(&value)).then(|| {
        err(
            field,
            "out_of_range",
            &format!("Enter a number from {min} to {max}."),
        )
    })
}

/// Collects the failures of several checks.
pub fn collect<const N: usize>(checks: [Option<FieldError>; N]) -> Result<(), Vec<FieldError>> {
    let fields: Vec<_> = checks.into_iter().flatten().collect();
    if fields.is_empty() {
        Ok(())
    } else {
        Err(fields)
    }
}

/// Normalises an email for storage and look-up: trimmed, lower case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn is_email(value: &str) -> bool {
    if value.len() > 254 || value.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

fn err(field: &str, code: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        for ok in ["sam@demo.test", "a.b+c@sub.example.com"] {
            assert_eq!(check("email", ok, &[Rule::Email]), None, "{ok}");
        }
        for bad in [
            "sam",
            "sam@",
            "@demo.test",
            "sam@demo",
            "s am@demo.test",
            "a@b@c.d",
            "a@.b",
            "a@b..c",
        ] {
            assert_eq!(
                check("email", bad, &[Rule::Email]).unwrap().code,
                "email",
                "{bad}"
            );
        }
    }

    #[test]
    fn optional_empty_field_passes_other_rules() {
        assert_eq!(check("x", "  ", &[Rule::Email, Rule::MinLen(3)]), None);
        assert_eq!(
            check("x", "  ", &[Rule::Required]).unwrap().code,
            "required"
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert_eq!(check("x", "ééé", &[Rule::MaxLen(3)]), None);
        assert_eq!(
            check("x", "éééé", &[Rule::MaxLen(3)]).unwrap().code,
            "too_long"
        );
        assert_eq!(
            check("x", "ab", &[Rule::MinLen(3)]).unwrap().code,
            "too_short"
        );
    }

    #[test]
    fn range_bounds_are_inclusive() {
        assert_eq!(range("n", 1, 1, 5), None);
        assert_eq!(range("n", 5, 1, 5), None);
        assert_eq!(range("n", 0, 1, 5).unwrap().code, "out_of_range");
        assert_eq!(range("n", 6, 1, 5).unwrap().code, "out_of_range");
    }

    #[test]
    fn emails_normalise() {
        assert_eq!(normalize_email("  Sam@Demo.Test "), "sam@demo.test");
    }
}
