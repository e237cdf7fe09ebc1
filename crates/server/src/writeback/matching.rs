//! R3: matching the counterpart of a message or note to a CRM contact.
//!
//! Rules, tried in this order; the first rule that finds exactly one contact
//! wins:
//! 1. [`Rule::Email`]: the counterpart's email equals the contact's
//!    `emailaddress1` (case-insensitive, trimmed).
//! 2. [`Rule::ProfileUrl`]: the LinkedIn profile URL equals the contact's
//!    profile column (configurable, default [`DEFAULT_PROFILE_COLUMN`]),
//!    compared without scheme, `www.`, query and trailing slash.
//! 3. [`Rule::NameAndCompany`]: first and last name and the company (the
//!    contact's account name) all equal, ignoring case, spacing and punctuation.
//!
//! A rule that finds several contacts is ambiguous and does not decide; the
//! next rule is tried. The result is the same for the same inputs whatever the
//! order of the candidates.

use serde::Serialize;

/// The contact column holding LinkedIn profile URLs unless configured otherwise.
pub const DEFAULT_PROFILE_COLUMN: &str = navsync_api::crm::DEFAULT_PROFILE_URL_COLUMN;

/// The person a message or note is about, as Navsync knows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counterpart {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email, if known.
    pub email: Option<String>,
    /// LinkedIn profile URL, if known.
    pub profile_url: Option<String>,
    /// Company name, if known.
    pub company: Option<String>,
}

/// A CRM contact as read for matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactCandidate {
    /// `contactid`.
    pub id: String,
    /// `firstname`.
    pub first_name: Option<String>,
    /// `lastname`.
    pub last_name: Option<String>,
    /// `emailaddress1`.
    pub email: Option<String>,
    /// The configured profile URL column.
    pub profile_url: Option<String>,
    /// Name of the parent account (`_parentcustomerid_value`).
    pub account_name: Option<String>,
}

/// Which rule matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Same email.
    Email,
    /// Same LinkedIn profile URL.
    ProfileUrl,
    /// Same first name, last name and company.
    NameAndCompany,
}

impl Rule {
    /// A sentence for people.
    pub fn explain(self) -> &'static str {
        match self {
            Rule::Email => "Matched by email address",
            Rule::ProfileUrl => "Matched by LinkedIn profile URL",
            Rule::NameAndCompany => "Matched by first and last name with company",
        }
    }
}

/// A successful match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The matched `contactid`.
    pub contact_id: String,
    /// The rule that decided.
    pub rule: Rule,
}

/// Why nothing matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoMatch {
    /// No contact shares the email, profile URL or name and company.
    NotFound,
    /// A rule found several contacts and no later rule found exactly one.
    Ambiguous {
        /// The first ambiguous rule.
        rule: Rule,
        /// How many contacts it found.
        count: usize,
    },
    /// The counterpart has no email, no profile URL and no company: nothing to
    /// match on.
    NothingToMatchOn,
}

impl NoMatch {
    /// A sentence for the unresolved report.
    pub fn explain(&self) -> String {
        match self {
            NoMatch::NotFound => {
                "No CRM contact has this email, LinkedIn profile URL, or name and company.".into()
            }
            NoMatch::Ambiguous { rule, count } => format!(
                "{count} CRM contacts fit ({}); choose one.",
                rule.explain().to_lowercase()
            ),
            NoMatch::NothingToMatchOn => {
                "No email, LinkedIn profile URL or company is known for this person.".into()
            }
        }
    }
}

fn norm_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn norm_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `https://www.linkedin.com/in/ada/?x=1` → `linkedin.com/in/ada`.
pub fn norm_profile_url(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let s = s.strip_prefix("www.").unwrap_or(s);
    let s = s.split(['?', '#']).next().unwrap_or(s);
    s.trim_end_matches('/').to_string()
}

fn some_nonempty(s: Option<&str>, norm: fn(&str) -> String) -> Option<String> {
    s.map(norm).filter(|v| !v.is_empty())
}

/// Whether a contact fits one rule.
type Fits<'a> = Box<dyn Fn(&ContactCandidate) -> bool + 'a>;

/// Matches `who` against `contacts` by the rules in order (see the module docs).
pub fn match_contact(who: &Counterpart, contacts: &[ContactCandidate]) -> Result<Match, NoMatch> {
    let email = some_nonempty(who.email.as_deref(), norm_email);
    let url = some_nonempty(who.profile_url.as_deref(), norm_profile_url);
    let name = (
        norm_text(&who.first_name),
        norm_text(&who.last_name),
        some_nonempty(who.company.as_deref(), norm_text),
    );
    let mut ambiguous: Option<NoMatch> = None;
    let rules: [(Rule, Fits<'_>); 3] = [
        (
            Rule::Email,
            Box::new(|c| email.is_some() && some_nonempty(c.email.as_deref(), norm_email) == email),
        ),
        (
            Rule::ProfileUrl,
            Box::new(|c| {
                url.is_some() && some_nonempty(c.profile_url.as_deref(), norm_profile_url) == url
            }),
        ),
        (
            Rule::NameAndCompany,
            Box::new(|c| {
                let (first, last, company) = &name;
                company.is_some()
                    && !first.is_empty()
                    && !last.is_empty()
                    && c.first_name.as_deref().map(norm_text).as_ref() == Some(first)
                    && c.last_name.as_deref().map(norm_text).as_ref() == Some(last)
                    && some_nonempty(c.account_name.as_deref(), norm_text) == *company
            }),
        ),
    ];
    for (rule, fits) in &rules {
        let mut found: Vec<&ContactCandidate> = contacts.iter().filter(|c| fits(c)).collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.dedup_by(|a, b| a.id == b.id);
        match found.len() {
            0 => {}
            1 => {
                return Ok(Match {
                    contact_id: found[0].id.clone(),
                    rule: *rule,
                });
            }
            count => {
                ambiguous.get_or_insert(NoMatch::Ambiguous { rule: *rule, count });
            }
        }
    }
    if let Some(a) = ambiguous {
        return Err(a);
    }
    if email.is_none() && url.is_none() && name.2.is_none() {
        return Err(NoMatch::NothingToMatchOn);
    }
    Err(NoMatch::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(
        id: &str,
        first: &str,
        last: &str,
        email: &str,
        url: &str,
        account: &str,
    ) -> ContactCandidate {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        ContactCandidate {
            id: id.into(),
            first_name: opt(first),
            last_name: opt(last),
            email: opt(email),
            profile_url: opt(url),
            account_name: opt(account),
        }
    }

    fn who(
        first: &str,
        last: &str,
        email: Option<&str>,
        url: Option<&str>,
        company: Option<&str>,
    ) -> Counterpart {
        Counterpart {
            first_name: first.into(),
            last_name: last.into(),
            email: email.map(str::to_string),
            profile_url: url.map(str::to_string),
            company: company.map(str::to_string),
        }
    }

    fn crm() -> Vec<ContactCandidate> {
        vec![
            contact(
                "c1",
                "Ada",
                "Lovelace",
                "ada@example.com",
                "https://www.linkedin.com/in/ada/",
                "Analytical Engines",
            ),
            contact("c2", "Grace", "Hopper", "grace@navy.mil", "", "US Navy"),
            contact(
                "c3",
                "Alan",
                "Turing",
                "",
                "linkedin.com/in/alan-turing",
                "Bletchley Park",
            ),
            contact("c4", "John", "Smith", "john@a.com", "", "Acme"),
            contact("c5", "John", "Smith", "john@b.com", "", "Acme"),
        ]
    }

    #[test]
    fn email_wins_first_and_ignores_case_and_spaces() {
        let m = match_contact(
            &who("X", "Y", Some("  ADA@Example.com "), None, None),
            &crm(),
        )
        .unwrap();
        assert_eq!(
            m,
            Match {
                contact_id: "c1".into(),
                rule: Rule::Email
            }
        );
    }

    #[test]
    fn email_beats_a_conflicting_profile_url() {
        let m = match_contact(
            &who(
                "Grace",
                "Hopper",
                Some("grace@navy.mil"),
                Some("linkedin.com/in/alan-turing"),
                None,
            ),
            &crm(),
        )
        .unwrap();
        assert_eq!(m.contact_id, "c2");
        assert_eq!(m.rule, Rule::Email);
    }

    #[test]
    fn profile_url_is_compared_without_scheme_www_query_and_slash() {
        let m = match_contact(
            &who(
                "A",
                "T",
                Some("unknown@x.com"),
                Some("http://WWW.linkedin.com/in/alan-turing/?trk=1"),
                None,
            ),
            &crm(),
        )
        .unwrap();
        assert_eq!(
            m,
            Match {
                contact_id: "c3".into(),
                rule: Rule::ProfileUrl
            }
        );
    }

    #[test]
    fn name_needs_the_company_too() {
        let m = match_contact(
            &who("grace", "HOPPER", None, None, Some("US  Navy.")),
            &crm(),
        )
        .unwrap();
        assert_eq!(
            m,
            Match {
                contact_id: "c2".into(),
                rule: Rule::NameAndCompany
            }
        );
        let none = match_contact(&who("Grace", "Hopper", None, None, Some("Other")), &crm());
        assert_eq!(none, Err(NoMatch::NotFound));
    }

    #[test]
    fn several_contacts_for_one_rule_are_ambiguous_unless_a_later_rule_decides() {
        let r = match_contact(&who("John", "Smith", None, None, Some("Acme")), &crm());
        assert_eq!(
            r,
            Err(NoMatch::Ambiguous {
                rule: Rule::NameAndCompany,
                count: 2
            })
        );
        assert!(r.unwrap_err().explain().contains("2 CRM contacts"));
        let m = match_contact(
            &who("John", "Smith", Some("john@b.com"), None, Some("Acme")),
            &crm(),
        )
        .unwrap();
        assert_eq!(m.contact_id, "c5");
    }

    #[test]
    fn nothing_to_match_on_is_its_own_reason() {
        assert_eq!(
            match_contact(&who("Ada", "Lovelace", None, None, None), &crm()),
            Err(NoMatch::NothingToMatchOn)
        );
        assert_eq!(
            match_contact(&who("Ada", "Lovelace", Some(""), Some(" "), None), &crm()),
            Err(NoMatch::NothingToMatchOn)
        );
    }

    #[test]
    fn the_order_of_candidates_does_not_matter() {
        let mut reversed = crm();
        reversed.reverse();
        for w in [
            who("Ada", "L", Some("ada@example.com"), None, None),
            who("John", "Smith", None, None, Some("Acme")),
            who("A", "T", None, Some("linkedin.com/in/alan-turing"), None),
        ] {
            assert_eq!(match_contact(&w, &crm()), match_contact(&w, &reversed));
        }
    }
}
