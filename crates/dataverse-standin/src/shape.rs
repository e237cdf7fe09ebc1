//! [`same_shape`]: compares two JSON documents by structure only — the same keys in every
//! object (recursively), the same JSON type everywhere, arrays compared by their first
//! element. The fixtures under `fixtures/` are checked against live responses with it,
//! and the server's connector tests can reuse it on the same fixtures.

use serde_json::Value;

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compare(expected: &Value, actual: &Value, path: &str, problems: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let here = format!("{path}.{key}");
                match a.get(key) {
                    Some(av) => compare(ev, av, &here, problems),
                    None => problems.push(format!("{here}: missing")),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                problems.push(format!("{path}.{key}: unexpected"));
            }
        }
        (Value::Array(e), Value::Array(a)) => match (e.first(), a.first()) {
            (Some(ev), Some(av)) => compare(ev, av, &format!("{path}[0]"), problems),
            (Some(_), None) => problems.push(format!("{path}: expected a non-empty array")),
            _ => {}
        },
        (e, a) if type_name(e) != type_name(a) => problems.push(format!(
            "{path}: expected {} but found {}",
            type_name(e),
            type_name(a)
        )),
        _ => {}
    }
}

/// `Ok` when `actual` has exactly the keys and JSON types of `expected`; otherwise every
/// difference, one per line, as `$.path: what`.
pub fn same_shape(expected: &Value, actual: &Value) -> Result<(), String> {
    let mut problems = Vec::new();
    compare(expected, actual, "$", &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compares_keys_types_and_first_elements() {
        let e = json!({"a": 1, "b": {"c": "x"}, "d": [{"e": true}]});
        assert_eq!(
            same_shape(
                &e,
                &json!({"a": 2, "b": {"c": "y"}, "d": [{"e": false}, 3]})
            ),
            Ok(())
        );
        let err = same_shape(
            &e,
            &json!({"a": "1", "b": {}, "d": [{"e": true, "f": 1}], "g": 0}),
        )
        .unwrap_err();
        assert!(
            err.contains("$.a: expected number but found string"),
            "{err}"
        );
        assert!(err.contains("$.b.c: missing"), "{err}");
        assert!(err.contains("$.d[0].f: unexpected"), "{err}");
        assert!(err.contains("$.g: unexpected"), "{err}");
        assert!(same_shape(&json!([1]), &json!([])).is_err());
    }
}
