//! Activity writeback (SPEC W1–W4, H2–H5, R1–R3): Navsync's InMails, messages
//! and notes written into Dynamics as activities on the matched contact.
//!
//! # Layout
//! - [`demo`]: the demo seat holders' threads.
//! - [`matching`]: R3, the deterministic matching of a counterpart person to a
//!   CRM contact (email, LinkedIn profile URL, name with company), with the rule
//!   that matched or why none did.
//! - [`outbox`]: the worker and the flush (`$batch` upserts of deterministic ids).
//! - [`notes`]: notes as annotations (or open tasks).
//! - [`resolve`]: linking an unresolved item to a contact, or creating it.

pub mod demo;
pub mod matching;
pub mod notes;
pub mod outbox;
pub mod resolve;
