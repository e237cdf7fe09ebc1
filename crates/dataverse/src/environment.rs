//! The Dynamics environment URL an admin enters, and the rules it must meet:
//! Dynamics 365 *online* only (SPEC C1), always over HTTPS. A loopback
//! `http://` URL is accepted only when the server runs with an explicit
//! insecure/dev setting, which the demo and the tests turn on.

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::CrmError;

/// Host suffixes of Dynamics 365 online (commercial and sovereign clouds).
const ONLINE_SUFFIXES: [&str; 5] = [
    ".dynamics.com",
    ".crm.microsoftdynamics.us",
    ".crm.appsplatform.us",
    ".crm.dynamics.cn",
    ".crm.microsoftdynamics.de",
];

/// A validated environment URL: scheme, host and port only, no trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvironmentUrl(String);

impl EnvironmentUrl {
    /// Validates what an admin typed. `allow_insecure_loopback` admits
    /// `http://127.0.0.1:…` style URLs (demo and tests only).
    pub fn parse(input: &str, allow_insecure_loopback: bool) -> Result<Self, CrmError> {
        let trimmed = input.trim();
        let url = Url::parse(trimmed).map_err(|_| {
            CrmError::InvalidUrl(
                "Enter the environment's address, like https://yourorg.crm4.dynamics.com".into(),
            )
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(CrmError::InvalidUrl(
                "The address must not contain a user name or password.".into(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() || !matches!(url.path(), "" | "/") {
            // On-premises deployments put the organization in the path
            // (https://crm.contoso.com/contoso); online ones never do.
            return Err(CrmError::OnPremises);
        }
        let loopback = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => return Err(CrmError::InvalidUrl("The address has no host name.".into())),
        };
        if loopback && allow_insecure_loopback {
            return Ok(Self(origin(&url)));
        }
        if url.scheme() != "https" {
            return Err(CrmError::NotHttps);
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !ONLINE_SUFFIXES
            .iter()
            .any(|s| host.ends_with(s) && host.len() > s.len())
        {
            return Err(CrmError::OnPremises);
        }
        Ok(Self(origin(&url)))
    }

    /// `scheme://host[:port]`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The OAuth scope for client credentials: `<environment>/.default`.
    pub fn default_scope(&self) -> String {
        format!("{}/.default", self.0)
    }

    /// The Web API base with a trailing slash, e.g. `…/api/data/v9.2/`.
    pub fn api_base(&self, api_version: &str) -> String {
        format!("{}/api/data/{api_version}/", self.0)
    }
}

fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_online_urls_and_normalises() {
        let url = EnvironmentUrl::parse(" https://Contoso.crm4.dynamics.com/ ", false).unwrap();
        assert_eq!(url.as_str(), "https://contoso.crm4.dynamics.com");
        assert_eq!(
            url.default_scope(),
            "https://contoso.crm4.dynamics.com/.default"
        );
        assert_eq!(
            url.api_base("v9.2"),
            "https://contoso.crm4.dynamics.com/api/data/v9.2/"
        );
        assert!(EnvironmentUrl::parse("https://x.crm.microsoftdynamics.us", false).is_ok());
    }

    #[test]
    fn refuses_plain_http() {
        assert!(matches!(
            EnvironmentUrl::parse("http://contoso.crm.dynamics.com", false),
            Err(CrmError::NotHttps)
        ));
    }

    #[test]
    fn refuses_on_premises_hosts_and_paths() {
        for url in [
            "https://crm.contoso.local",
            "https://crm.contoso.com/contoso",
            "https://dynamics.com",
            "https://contoso.crm.dynamics.com.evil.example",
        ] {
            assert!(
                matches!(EnvironmentUrl::parse(url, false), Err(CrmError::OnPremises)),
                "{url}"
            );
        }
    }

    #[test]
    fn loopback_only_with_the_insecure_setting() {
        assert!(matches!(
            EnvironmentUrl::parse("http://127.0.0.1:8081", false),
            Err(CrmError::NotHttps)
        ));
        let url = EnvironmentUrl::parse("http://127.0.0.1:8081", true).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8081");
        assert!(EnvironmentUrl::parse("http://localhost:9", true).is_ok());
        // The setting never opens plain http to other hosts.
        assert!(EnvironmentUrl::parse("http://10.1.2.3", true).is_err());
    }

    #[test]
    fn rejects_garbage_and_credentials() {
        assert!(matches!(
            EnvironmentUrl::parse("not a url", false),
            Err(CrmError::InvalidUrl(_))
        ));
        assert!(matches!(
            EnvironmentUrl::parse("https://u:p@x.crm.dynamics.com", false),
            Err(CrmError::InvalidUrl(_))
        ));
    }
}
