//! Reusable components, one per file.

pub mod crm;
pub mod crm_warning_banner;
pub mod error_view;
pub mod guard;
pub mod language_switch;
pub mod loading;
pub mod messages;
pub mod modal_dialog;
pub mod nav_menu;
pub mod no_access;
pub mod not_available;
pub mod notes;
pub mod saved;
pub mod seats;
pub mod select_field;
pub mod setup_form;
pub mod shell;
pub mod sign_in_form;
pub mod text_field;

pub use crm_warning_banner::CrmWarningBanner;
pub use error_view::ErrorView;
pub use guard::Guard;
pub use language_switch::LanguageSwitch;
pub use loading::Loading;
pub use modal_dialog::ModalDialog;
pub use nav_menu::NavMenu;
pub use no_access::NoAccess;
pub use not_available::NotAvailable;
pub use select_field::SelectField;
pub use setup_form::SetupForm;
pub use shell::Shell;
pub use sign_in_form::SignInForm;
pub use text_field::TextField;
