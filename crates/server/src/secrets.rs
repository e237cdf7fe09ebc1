//! Secrets at rest: the CRM client secret is stored encrypted with
//! ChaCha20-Poly1305 under a 32-byte key that never enters the database.
//!
//! The key comes from `NAVSYNC_SECRET_KEY` (base64) when set, else from
//! `<data_dir>/secret.key`, generated on first start with mode 0600. Every
//! encryption uses a fresh random 96-bit nonce and the organization's id as
//! associated data, so a ciphertext copied to another organization's row does
//! not decrypt. Neither the key nor a decrypted secret shows in `Debug` output.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use navsync_api::OrganizationId;
use navsync_dataverse::Secret;

/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "secret.key";

/// Length of a nonce in bytes (96 bits).
pub const NONCE_LEN: usize = 12;

/// Why the key could not be loaded, or a secret not be decrypted.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// `NAVSYNC_SECRET_KEY` is not 32 bytes of base64.
    #[error(
        "NAVSYNC_SECRET_KEY is not valid: expected 32 bytes in base64 (e.g. `openssl rand -base64 32`)"
    )]
    BadEnvKey,
    /// The key file exists but does not hold a key.
    #[error("the key file {0} is not valid: expected 32 bytes in base64")]
    BadKeyFile(PathBuf),
    /// The key file could not be read or written.
    #[error("could not read or create the key file {path}: {source}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
    /// Encryption failed (it cannot for plaintexts of sane length).
    #[error("could not encrypt the secret")]
    Encrypt,
    /// The ciphertext does not open with this key and organization: the key
    /// changed, or the row was tampered with or moved.
    #[error(
        "a stored CRM secret cannot be decrypted with the current key; restore the original \
         NAVSYNC_SECRET_KEY or secret.key, or update the CRM credentials"
    )]
    Decrypt,
}

/// An encrypted secret as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedSecret {
    /// Ciphertext with its 16-byte tag.
    pub ciphertext: Vec<u8>,
    /// The 96-bit nonce it was sealed with.
    pub nonce: Vec<u8>,
}

impl std::fmt::Debug for SealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedSecret").finish_non_exhaustive()
    }
}

/// The 32-byte key secrets are sealed with.
#[derive(Clone)]
pub struct SecretKey {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl SecretKey {
    /// A key from raw bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self {
            cipher: ChaCha20Poly1305::new(Key::from_slice(bytes)),
        }
    }

    /// A new random key.
    pub fn generate() -> Self {
        Self {
            cipher: ChaCha20Poly1305::new(&ChaCha20Poly1305::generate_key(&mut OsRng)),
        }
    }

    /// Loads the key: from `env_key` (the value of `NAVSYNC_SECRET_KEY`) when
    /// given, else from `<data_dir>/secret.key`, creating it on first use.
    pub fn load(env_key: Option<&Secret>, data_dir: &Path) -> Result<Self, SecretError> {
        match env_key {
            Some(value) => decode_key(value.expose()).ok_or(SecretError::BadEnvKey),
            None => Self::load_or_create_file(&data_dir.join(KEY_FILE)),
        }
    }

    /// Reads the key file, or creates it (mode 0600) with a new random key.
    pub fn load_or_create_file(path: &Path) -> Result<Self, SecretError> {
        let io = |source| SecretError::KeyFile {
            path: path.to_owned(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                return decode_key(&text).ok_or_else(|| SecretError::BadKeyFile(path.to_owned()));
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(io(err)),
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let key = ChaCha20Poly1305::generate_key(&mut OsRng);
        let text = base64::engine::general_purpose::STANDARD.encode(key);
        let mut options = std::fs::OpenOptions::new();
        // create_new: never overwrite a key another process has just written.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes()).map_err(io)?;
                file.sync_all().map_err(io)?;
                Ok(Self {
                    cipher: ChaCha20Poly1305::new(&key),
                })
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path).map_err(io)?;
                decode_key(&text).ok_or_else(|| SecretError::BadKeyFile(path.to_owned()))
            }
            Err(err) => Err(io(err)),
        }
    }

    /// Encrypts `secret` for `organization` under a fresh random nonce.
    pub fn seal(
        &self,
        organization: &OrganizationId,
        secret: &Secret,
    ) -> Result<SealedSecret, SecretError> {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: secret.expose().as_bytes(),
                    aad: organization.as_str().as_bytes(),
                },
            )
            .map_err(|_| SecretError::Encrypt)?;
        Ok(SealedSecret {
            ciphertext,
            nonce: nonce.to_vec(),
        })
    }

    /// Decrypts a sealed secret of `organization`.
    pub fn open(
        &self,
        organization: &OrganizationId,
        sealed: &SealedSecret,
    ) -> Result<Secret, SecretError> {
        if sealed.nonce.len() != NONCE_LEN {
            return Err(SecretError::Decrypt);
        }
        let plaintext = self
            .cipher
            .decrypt(
                Nonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: organization.as_str().as_bytes(),
                },
            )
            .map_err(|_| SecretError::Decrypt)?;
        String::from_utf8(plaintext)
            .map(Secret::new)
            .map_err(|_| SecretError::Decrypt)
    }
}

fn decode_key(text: &str) -> Option<SecretKey> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?;
    let bytes: [u8; 32] = bytes.try_into().ok()?;
    Some(SecretKey::from_bytes(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str) -> OrganizationId {
        OrganizationId(id.into())
    }

    #[test]
    fn round_trip_with_fresh_nonces() {
        let key = SecretKey::generate();
        let secret = Secret::new("s3cret~value");
        let a = key.seal(&org("org-1"), &secret).unwrap();
        let b = key.seal(&org("org-1"), &secret).unwrap();
        assert_eq!(a.nonce.len(), NONCE_LEN);
        assert_ne!(a.nonce, b.nonce, "a fresh nonce per encryption");
        assert_ne!(a.ciphertext, b.ciphertext);
        assert!(
            !a.ciphertext
                .windows(b"s3cret".len())
                .any(|w| w == b"s3cret")
        );
        assert_eq!(key.open(&org("org-1"), &a).unwrap(), secret);
        assert_eq!(key.open(&org("org-1"), &b).unwrap(), secret);
    }

    #[test]
    fn tampering_another_organization_or_another_key_fails() {
        let key = SecretKey::generate();
        let sealed = key.seal(&org("org-1"), &Secret::new("value")).unwrap();
        let mut tampered = sealed.clone();
        tampered.ciphertext[0] ^= 1;
        assert!(matches!(
            key.open(&org("org-1"), &tampered),
            Err(SecretError::Decrypt)
        ));
        let mut bad_nonce = sealed.clone();
        bad_nonce.nonce[3] ^= 1;
        assert!(key.open(&org("org-1"), &bad_nonce).is_err());
        assert!(matches!(
            key.open(&org("org-2"), &sealed),
            Err(SecretError::Decrypt)
        ));
        let other = SecretKey::generate();
        let err = other.open(&org("org-1"), &sealed).unwrap_err();
        assert!(err.to_string().contains("NAVSYNC_SECRET_KEY"), "{err}");
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::TempDir::new().unwrap();
        let first = SecretKey::load(None, dir.path()).unwrap();
        let path = dir.path().join(KEY_FILE);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let sealed = first.seal(&org("o"), &Secret::new("kept")).unwrap();
        let again = SecretKey::load(None, dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "not rewritten"
        );
        assert_eq!(again.open(&org("o"), &sealed).unwrap().expose(), "kept");
    }

    #[test]
    fn environment_key_wins_and_bad_keys_are_clear_errors() {
        let dir = tempfile::TempDir::new().unwrap();
        let env = Secret::new(base64::engine::general_purpose::STANDARD.encode([7u8; 32]));
        let key = SecretKey::load(Some(&env), dir.path()).unwrap();
        assert!(
            !dir.path().join(KEY_FILE).exists(),
            "no key file with the env key"
        );
        let sealed = key.seal(&org("o"), &Secret::new("x")).unwrap();
        let same = SecretKey::from_bytes(&[7u8; 32]);
        assert_eq!(same.open(&org("o"), &sealed).unwrap().expose(), "x");

        let short = Secret::new(base64::engine::general_purpose::STANDARD.encode([7u8; 16]));
        let err = SecretKey::load(Some(&short), dir.path()).unwrap_err();
        assert!(matches!(err, SecretError::BadEnvKey));
        assert!(err.to_string().contains("NAVSYNC_SECRET_KEY"));
        assert!(!err.to_string().contains(short.expose()));
        std::fs::write(dir.path().join(KEY_FILE), "garbage").unwrap();
        assert!(matches!(
            SecretKey::load(None, dir.path()),
            Err(SecretError::BadKeyFile(_))
        ));
        assert!(!format!("{key:?}").contains('7'));
    }
}
