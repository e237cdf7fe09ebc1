//! App-wide reactive state, each with a `provide_x()` / `use_x()` pair.

pub mod i18n;
pub mod session;
