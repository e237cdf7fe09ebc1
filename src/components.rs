//! Reusable components, one per file.

pub mod error_view;
pub mod guard;
pub mod language_switch;
pub mod loading;
pub mod nav_menu;
pub mod no_access;
pub mod not_available;
pub mod seat_table;
pub mod setup_form;
pub mod shell;
pub mod sign_in_form;
pub mod text_field;

pub use error_view::ErrorView;
pub use guard::Guard;
pub use language_switch::LanguageSwitch;
pub use loading::Loading;
pub use nav_menu::NavMenu;
pub use no_access::NoAccess;
pub use not_available::NotAvailable;
pub use seat_table::SeatTable;
pub use setup_form::SetupForm;
pub use shell::Shell;
pub use sign_in_form::SignInForm;
pub use text_field::TextField;
