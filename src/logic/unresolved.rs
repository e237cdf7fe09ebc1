//! The unresolved report (SPEC R2, H5): reading the CRM contact a person
//! types or pastes to link an item to.

/// The contact id in `input`: a bare GUID (braces allowed), or a Dynamics
/// record link carrying it as `id=` (`main.aspx?etn=contact&id=...`).
/// Lowercase, without braces; `None` when there is no GUID.
pub fn contact_id(input: &str) -> Option<String> {
    let input = input.trim();
    if let Some(id) = guid(input) {
        return Some(id);
    }
    let query = input.split_once('?')?.1;
    query
        .split(['&', '#'])
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .and_then(|(_, v)| {
            guid(
                &v.replace("%7B", "{")
                    .replace("%7D", "}")
                    .replace("%7b", "{")
                    .replace("%7d", "}"),
            )
        })
}

fn guid(text: &str) -> Option<String> {
    let bare = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let groups: Vec<&str> = bare.split('-').collect();
    let shape = [8, 4, 4, 4, 12];
    let ok = groups.len() == shape.len()
        && groups
            .iter()
            .zip(shape)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    ok.then(|| bare.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn a_bare_guid() {
        assert_eq!(contact_id(ID).as_deref(), Some(ID));
        assert_eq!(
            contact_id(&format!("  {{{}}} ", ID.to_uppercase())).as_deref(),
            Some(ID)
        );
    }

    #[test]
    fn a_dynamics_record_link() {
        let link = format!(
            "https://org.crm4.dynamics.com/main.aspx?etn=contact&id={ID}&pagetype=entityrecord"
        );
        assert_eq!(contact_id(&link).as_deref(), Some(ID));
        let braced = format!(
            "https://org.crm.dynamics.com/main.aspx?appid=x&pagetype=entityrecord&etn=contact&id=%7B{ID}%7D"
        );
        assert_eq!(contact_id(&braced).as_deref(), Some(ID));
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "Nora Hendriks",
            "0f8fad5b-d9cb-469f-a165",
            "https://x/main.aspx?etn=contact",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
        ] {
            assert_eq!(contact_id(text), None, "{text}");
        }
    }
}
